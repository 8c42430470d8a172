using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmLog.Validation;

/// <summary>
/// Stable ids for records that carry none: a hash of the record's canonical JSON (keys sorted,
/// insignificant white space dropped), so the same call exported twice — pretty-printed in one
/// file, on one line in another — is recognised as one.
/// </summary>
public static class RecordId
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>Hash of the canonical form of a JSON value already known to be well-formed.</summary>
    public static string OfCanonicalJson(ReadOnlySpan<byte> json)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 256 }))
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteCanonical(doc.RootElement, writer);
        }
        return OfBytes(buffer.WrittenSpan);
    }

    /// <summary>Hash of bytes exactly as they are (used for rejects, which need not be JSON).</summary>
    public static string OfBytes(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        // 128 bits keep ids short in the primary key while collisions stay out of reach.
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static void WriteCanonical(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var props = new List<JsonProperty>();
                foreach (var p in element.EnumerateObject()) props.Add(p);
                props.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                foreach (var p in props)
                {
                    writer.WritePropertyName(p.Name);
                    WriteCanonical(p.Value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteCanonical(item, writer);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers keep their written form: 1 and 1.0 are different records' text.
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
