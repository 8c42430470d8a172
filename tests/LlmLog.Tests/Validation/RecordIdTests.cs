using System.Text;
using System.Text.Json;
using LlmLog.Validation;

namespace LlmLog.Tests.Validation;

/// <summary>Record ids: the same call written differently has one id, and different calls have different ids.</summary>
public class RecordIdTests
{
    [Fact]
    public void TheCanonicalFormSortsKeysDropsWhiteSpaceAndKeepsTokensAsWritten()
    {
        const string Json = " { \"b\" : [ 1.50 , -0, 1e5, true, null, { } , [ ] ],\r\n\t\"a\\u00e9\":\"x \\\" y\", \"A\": {\"z\": false, \"m\": \"\\n\"} } ";

        Canonical(Json).Should().Be("{\"A\":{\"m\":\"\\n\",\"z\":false},\"a\\u00e9\":\"x \\\" y\",\"b\":[1.50,-0,1e5,true,null,{},[]]}");
    }

    [Fact]
    public void TheSameCallPrettyPrintedOrWithKeysInAnotherOrderHasTheSameId()
    {
        var line = "{\"created\":\"2025-01-02 03:04:05\",\"model\":\"gpt-4o\",\"metrics\":{\"start\":1,\"end\":2.5}}"u8;
        var pretty = "{\n  \"metrics\": {\n    \"end\": 2.5,\n    \"start\": 1\n  },\n  \"model\": \"gpt-4o\",\n  \"created\": \"2025-01-02 03:04:05\"\n}"u8;

        RecordId.OfCanonicalJson(pretty).Should().Be(RecordId.OfCanonicalJson(line));
    }

    [Fact]
    public void AnIdIsTheFirst128BitsOfTheSha256OfTheCanonicalFormAndNeverChanges()
    {
        // Ids already stored in a warehouse must stay valid: a change here would load every call again.
        var pretty = "{ \"model\": \"gpt-4o\", \"metrics\": { \"start\": 1, \"end\": 2.5 }, \"created\": \"2025-01-02 03:04:05\" }"u8;

        RecordId.OfCanonicalJson(pretty).Should().Be("b513d2a846deea773059a655169e624e");
    }

    [Theory]
    [InlineData("{\"n\":1}", "{\"n\":1.0}")]
    [InlineData("{\"s\":\"\\u0041\"}", "{\"s\":\"A\"}")]
    [InlineData("{\"a\":[1,2]}", "{\"a\":[2,1]}")]
    [InlineData("{\"a\":\"x\"}", "{\"a \":\"x\"}")]
    public void ValuesWrittenDifferentlyAreDifferentRecords(string one, string other)
    {
        // Numbers and strings are kept as written: the id never depends on how a parser would read them.
        RecordId.OfCanonicalJson(Encoding.UTF8.GetBytes(one)).Should().NotBe(RecordId.OfCanonicalJson(Encoding.UTF8.GetBytes(other)));
    }

    [Fact]
    public void TheCanonicalFormEqualsAFullJsonParsersOnRandomDocuments()
    {
        // The canonicaliser scans bytes the validator already parsed; a reference built on Utf8JsonReader
        // must agree with it on nesting, escapes, numbers and white space of every kind.
        var random = new Random(20261122);
        for (var i = 0; i < 3000; i++)
        {
            var json = new StringBuilder();
            WriteRandomValue(json, random, depth: 0, objectOnly: true);
            var bytes = Encoding.UTF8.GetBytes(json.ToString());

            Encoding.UTF8.GetString(RecordId.CanonicalBytes(bytes)).Should().Be(Reference(bytes), json.ToString());
        }
    }

    private static string Canonical(string json) => Encoding.UTF8.GetString(RecordId.CanonicalBytes(Encoding.UTF8.GetBytes(json)));

    private static readonly string[] Keys = ["a", "b", "model", "metrics", "é", "a\\\"b", "\\u00e9", "A", "", "key with space", "z\\\\"];
    private static readonly string[] Strings = ["", "x", "with \\\"quotes\\\"", "back\\\\slash", "\\n\\t", "é€😀", "\\ud83d\\ude00", "}],{["];
    private static readonly string[] Numbers = ["0", "-0", "1", "-12", "1.50", "3.14159", "1e5", "1E-7", "-2.5e+3", "123456789012345678901234567890"];

    private static void WriteRandomValue(StringBuilder json, Random random, int depth, bool objectOnly = false)
    {
        var kind = objectOnly ? 0 : random.Next(depth > 4 ? 2 : 0, 7);
        switch (kind)
        {
            case 0:
                json.Append('{').Append(Space(random));
                var members = random.Next(0, 7);
                for (var m = 0; m < members; m++)
                {
                    if (m > 0) json.Append(',').Append(Space(random));
                    json.Append('"').Append(Keys[random.Next(Keys.Length)]).Append('"').Append(Space(random)).Append(':').Append(Space(random));
                    WriteRandomValue(json, random, depth + 1);
                    json.Append(Space(random));
                }
                json.Append('}');
                break;
            case 1:
                json.Append('[').Append(Space(random));
                var items = random.Next(0, 5);
                for (var m = 0; m < items; m++)
                {
                    if (m > 0) json.Append(',').Append(Space(random));
                    WriteRandomValue(json, random, depth + 1);
                    json.Append(Space(random));
                }
                json.Append(']');
                break;
            case 2:
            case 3:
                json.Append('"').Append(Strings[random.Next(Strings.Length)]).Append('"');
                break;
            case 4:
                json.Append(Numbers[random.Next(Numbers.Length)]);
                break;
            default:
                json.Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" });
                break;
        }
    }

    private static string Space(Random random) => random.Next(4) switch { 0 => "", 1 => " ", 2 => "\n  ", _ => "\t\r\n " };

    // The canonical form as a full parser sees it: keys sorted by their bytes as written (a stable sort),
    // strings and numbers exactly as written, no white space.
    private static string Reference(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReferenceValue(ref reader);
    }

    private static string ReferenceValue(ref Utf8JsonReader r)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<(byte[] Key, string Value)>();
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var key = r.ValueSpan.ToArray();
                    r.Read();
                    members.Add((key, ReferenceValue(ref r)));
                }
                var sorted = members.OrderBy(m => m.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
                return "{" + string.Join(",", sorted.Select(m => "\"" + Encoding.UTF8.GetString(m.Key) + "\":" + m.Value)) + "}";
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (r.Read() && r.TokenType != JsonTokenType.EndArray) items.Add(ReferenceValue(ref r));
                return "[" + string.Join(",", items) + "]";
            case JsonTokenType.String:
                return "\"" + Encoding.UTF8.GetString(r.ValueSpan) + "\"";
            default:
                return Encoding.UTF8.GetString(r.ValueSpan);
        }
    }
}
