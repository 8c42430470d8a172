using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmLog.Tests.Support;

/// <summary>Test data: log records and files in the export's real shapes (Serilog's Some.cs habit).</summary>
public static class Some
{
    private static int _counter;

    /// <summary>A valid non-streamed call with usage, like the first record of a real export.</summary>
    public static JsonObject Call(string created = "2024-12-18 16:40:40", string model = "gpt-4o-2024-11-20")
    {
        var n = Interlocked.Increment(ref _counter);
        var start = 1734540040.786 + n;
        return new JsonObject
        {
            ["created"] = created,
            ["model"] = model,
            ["stream"] = false,
            ["max_tokens"] = 16000,
            ["temperature"] = 0.7,
            ["type"] = "text",
            ["metrics"] = new JsonObject
            {
                ["end"] = start + 12.771,
                ["start"] = start,
                ["tokens"] = 1213 + n,
                ["prompt_tokens"] = 337 + n,
                ["completion_tokens"] = 876,
                ["time_to_first_token"] = 12.769999980926514,
            },
        };
    }

    /// <summary>
    /// A valid call with an id of its own, and the same record as a source might first have sent it: with a temperature
    /// llmlog rejects. Correcting it at the source and ingesting it again gives the good one, under the same id.
    /// </summary>
    public static (JsonObject Good, JsonNode Bad) CallAndItsRejectedVersion(string id)
    {
        var good = Call();
        good["id"] = id;
        var bad = JsonNode.Parse(good.ToJsonString())!;
        bad["temperature"] = 150;
        return (good, bad);
    }

    /// <summary>A valid streamed call: no token keys at all, a true first-token time.</summary>
    public static JsonObject StreamedCall(string created = "2024-12-13 19:10:12")
    {
        var n = Interlocked.Increment(ref _counter);
        var start = 1734117012.1 + n;
        return new JsonObject
        {
            ["created"] = created,
            ["model"] = "gpt-4o-2024-11-20",
            ["stream"] = true,
            ["max_tokens"] = 16000,
            ["temperature"] = 0.7,
            ["type"] = "text",
            ["metrics"] = new JsonObject
            {
                ["end"] = start + 6.778,
                ["start"] = start,
                ["time_to_first_token"] = 0.2630000114440918,
            },
        };
    }

    /// <summary>A BTQL export object: <c>{"data":[...],"schema":...,"dialect":...}</c>, one record per line.</summary>
    public static string Export(IEnumerable<JsonNode?> records, bool schemaFirst = false)
    {
        var data = string.Join(",\n", records.Select(r => r?.ToJsonString() ?? "null"));
        const string schema = "\"schema\": {\"type\": \"array\", \"items\": {\"type\": \"object\"}}";
        return schemaFirst
            ? $"{{{schema}, \"dialect\": \"clickhouse\", \"data\": [\n{data}\n]}}"
            : $"{{\"data\": [\n{data}\n], {schema}, \"dialect\": \"clickhouse\"}}";
    }

    public static string JsonLines(IEnumerable<JsonNode?> records) =>
        string.Join("\n", records.Select(r => r?.ToJsonString() ?? "null")) + "\n";

    public static byte[] Gzip(string text) => Gzip(Encoding.UTF8.GetBytes(text));

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest))
        {
            gz.Write(bytes);
        }
        return output.ToArray();
    }

    /// <summary>n distinct valid calls spread over <paramref name="days"/> days ending 2024-12-18.</summary>
    public static List<JsonNode?> Calls(int n, int days = 3) =>
        Enumerable.Range(0, n)
            .Select(i => (JsonNode?)Call(new DateTime(2024, 12, 18, 10, 0, 0, DateTimeKind.Utc).AddDays(-(i % days)).AddSeconds(i)
                .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)))
            .ToList();
}
