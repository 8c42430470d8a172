using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using CsvHelper.Configuration;
using LlmLog.Reading;

namespace LlmLog.Transform;

/// <summary>One row of a price table: what a model (or a family, by prefix) costs per 1M tokens, and when.</summary>
public sealed record ModelPrice(
    long LineNumber,
    string ModelMatch,
    string MatchType,
    double InputPer1MUsd,
    double? CachedInputPer1MUsd,
    double OutputPer1MUsd,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    string? Source);

/// <summary>
/// Reads and validates a price table CSV (<c>data/model-prices.csv</c> shape). Every fault names the file,
/// the line and the field, and says what is expected.
/// </summary>
public static class PriceFile
{
    /// <summary>The header every price table has, in this order.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "model_match", "match_type", "input_per_1m_usd", "cached_input_per_1m_usd", "output_per_1m_usd", "valid_from", "valid_to", "source",
    ];

    /// <summary>What <c>--prices</c> takes for standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>
    /// The rows of <paramref name="path"/> and the SHA-256 of its bytes, which names the table. The bytes are read
    /// once, so a pipe (<c>&lt;(...)</c>, a FIFO, <c>-</c>) works: read twice, it came back empty, or blocked.
    /// </summary>
    public static (IReadOnlyList<ModelPrice> Rows, string Sha256) Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new LlmLogException(ExitCode.InputError, $"price table {path} is a folder; give the CSV file (its shape is data/model-prices.csv)");
        }
        byte[] bytes;
        try
        {
            if (path == StandardInput)
            {
                using var stdin = Reading.InputFiles.OpenStandardInput("--prices -");
                using var copy = new MemoryStream();
                stdin.CopyTo(copy);
                bytes = copy.ToArray();
            }
            else
            {
                bytes = File.ReadAllBytes(path);
            }
        }
        catch (UnauthorizedAccessException e)
        {
            // In the words of a log ingest may not read: .NET's "Access to the path ... is denied." (found by probing as a non-root user).
            throw new LlmLogException(ExitCode.InputError, FolderSearch.HidingFolder(path) is { } hiding
                ? $"price table {path} cannot be read: {FolderSearch.CannotLookInto(hiding)}; have the folder's permissions fixed"
                : $"price table {path} cannot be read: {Reading.InputFiles.NoReadAccess}", e);
        }
        catch (IOException e)
        {
            throw new LlmLogException(ExitCode.InputError, $"price table {path} cannot be read: {e.Message}", e);
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        // UTF-16 without a byte order mark (the header's first letter, then a NUL) is read as UTF-16, as a log is: it was
        // read as UTF-8 and refused for a header of 'm\u0000o\u0000d\u0000...' (found by probing prices).
        var wider = UnicodeText.WiderThanUtf8(bytes.AsSpan(0, Math.Min(4, bytes.Length)));
        if (wider is null) RequireUtf8(bytes, path);
        using var reader = wider is null ? new StreamReader(new MemoryStream(bytes)) : new StreamReader(new MemoryStream(bytes), wider, detectEncodingFromByteOrderMarks: true);
        try
        {
            return (Parse(reader, path), sha);
        }
        catch (DecoderFallbackException)
        {
            throw new LlmLogException(ExitCode.InputError, $"price table {path} starts as {wider!.WebName} text but holds bytes that are not {wider.WebName}; save the table as UTF-8");
        }
    }

    /// <summary>
    /// Refuses bytes that are not UTF-8, naming the line: the reader put U+FFFD in their place, and a Latin-1 'é' went
    /// into force as a replacement character without a word. A file with a UTF-16 or UTF-32 byte order mark is
    /// left to the reader, which decodes it as such.
    /// </summary>
    private static void RequireUtf8(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0x00, 0x00, 0xFE, 0xFF, ..] || Utf8.IsValid(bytes)) return;
        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done) offset += consumed;
        var lineStart = bytes[..offset].LastIndexOf((byte)'\n') + 1;
        var line = bytes[..offset].Count((byte)'\n') + 1;
        throw Fault(path, line, null, string.Create(CultureInfo.InvariantCulture,
            $"is not valid UTF-8 (byte 0x{bytes[offset]:X2} at byte {offset - lineStart + 1} of the line); save the table as UTF-8"));
    }

    /// <summary>The highest price accepted, in USD per 1M tokens.</summary>
    public const double MaxPer1MUsd = 100_000;

    /// <summary>The lowest price other than 0 accepted, in USD per 1M tokens: a millionth of a dollar.</summary>
    public const double MinPer1MUsd = 0.000001;

    internal static IReadOnlyList<ModelPrice> Parse(TextReader text, string path)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // Inside quotes too: a quoted "gpt-4o " matched no call (model names are never padded) and left them unpriced,
            // and a quoted "1 " was refused where an unquoted 1 with spaces was read.
            TrimOptions = TrimOptions.Trim | TrimOptions.InsideQuotes,
            // A user's own file may hold anything; errors quote fields we chose, never the raw line.
            ExceptionMessagesContainRawData = false,
            // A quote CSV cannot read (inside an unquoted field, or opened and never closed) is the file's fault;
            // CsvHelper's own exception would reach the user as an internal error with a stack trace. (The parser is
            // always set while a record is being read.)
            BadDataFound = args => throw StrayQuote(path, args.Field, args.Context.Parser!.RawRow),
        };
        using var csv = new CsvReader(text, config);
        if (!csv.Read() || !csv.ReadHeader())
        {
            throw Fault(path, 1, null, $"is empty; expected the header {string.Join(',', Columns)}");
        }
        var header = csv.HeaderRecord ?? [];
        if (!header.SequenceEqual(Columns, StringComparer.Ordinal))
        {
            throw Fault(path, 1, null, $"has the header '{string.Join(',', header)}'; expected exactly {string.Join(',', Columns)}");
        }

        var rows = new List<ModelPrice>();
        var keys = new Dictionary<(string, string, DateOnly), long>();
        while (csv.Read())
        {
            // Every field of the record is parsed here, so a stray quote is reported as such, before the field
            // count it throws off.
            var fields = csv.Parser.Record ?? [];
            // Empty lines are skipped by the reader; a line of spaces (an editor's last line) is as empty, and rejected
            // the whole table as "has 1 fields".
            if (fields is [var only] && string.IsNullOrWhiteSpace(only)) continue;
            // RawRow is the record's last line; a quoted field with line breaks starts it that many lines earlier.
            var line = (long)csv.Parser.RawRow - fields.Sum(f => f.Count(c => c == '\n'));
            if (fields.Length != Columns.Count)
            {
                throw Fault(path, line, null, $"has {fields.Length} fields; expected {Columns.Count} ({string.Join(',', Columns)})");
            }
            // PostgreSQL text cannot hold NUL: the table was put in force on DuckDB and refused by PostgreSQL (exit 4).
            if (Array.FindIndex(fields, f => f.Contains('\0', StringComparison.Ordinal)) is var nul and >= 0)
            {
                throw Fault(path, line, Columns[nul], "contains a NUL character, which a warehouse text column cannot hold; remove it");
            }
            var match = fields[0];
            if (match.Length == 0) throw Fault(path, line, "model_match", "is empty; expected a model name or the start of one");
            var type = fields[1];
            if (type is not ("exact" or "prefix")) throw Fault(path, line, "match_type", $"is '{type}'; expected exact or prefix");
            var input = Price(fields[2], path, line, "input_per_1m_usd", required: true)!.Value;
            var cached = Price(fields[3], path, line, "cached_input_per_1m_usd", required: false);
            var output = Price(fields[4], path, line, "output_per_1m_usd", required: true)!.Value;
            var from = Day(fields[5], path, line, "valid_from", required: true)!.Value;
            var to = Day(fields[6], path, line, "valid_to", required: false);
            if (to is { } t && t < from)
            {
                throw Fault(path, line, "valid_to", string.Create(CultureInfo.InvariantCulture, $"({t:yyyy-MM-dd}) is before valid_from ({from:yyyy-MM-dd})"));
            }
            var source = fields[7];
            if (keys.TryGetValue((match, type, from), out var earlier))
            {
                throw Fault(path, line, "valid_from", $"repeats line {earlier.ToString(CultureInfo.InvariantCulture)} ({type} '{match}' from {from:yyyy-MM-dd}); which price is meant is unclear");
            }
            keys[(match, type, from)] = line;
            rows.Add(new ModelPrice(line, match, type, input, cached, output, from, to, string.IsNullOrEmpty(source) ? null : source));
        }
        if (rows.Count == 0)
        {
            // Put in force, a table without rows would leave every call after it unpriced, and say nothing.
            throw Fault(path, 2, null, "has a header but no prices; add one row per model (or model prefix) and the day its price starts");
        }
        return rows;
    }

    private static double? Price(string? text, string path, long line, string field, bool required)
    {
        if (string.IsNullOrEmpty(text))
        {
            return required ? throw Fault(path, line, field, "is empty; expected a price in USD per 1M tokens, e.g. 2.50") : null;
        }
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Fault(path, line, field, $"is '{text}'; expected a price of 0 or more in USD per 1M tokens with a '.' decimal point, e.g. 2.50");
        }
        if (value > MaxPer1MUsd)
        {
            // 1 followed by 306 zeros was accepted, and costs and their sums became Infinity.
            throw Fault(path, line, field, $"is {text}, above the {MaxPer1MUsd.ToString("N0", CultureInfo.InvariantCulture)} USD per 1M tokens llmlog accepts (the dearest models cost hundreds)");
        }
        if (value > 0 && value < MinPer1MUsd)
        {
            // 0.(319 zeros)1 was accepted: PostgreSQL's float division fails with "value out of range: underflow" where
            // DuckDB gives 0, so every ingest, summary and transform of the warehouse stopped with exit 4, for good, on
            // the days that price covered (found by probing both engines).
            throw Fault(path, line, field, $"is {text}, above 0 but below the {MinPer1MUsd.ToString("0.######", CultureInfo.InvariantCulture)} USD per 1M tokens llmlog accepts; write 0 for a free model");
        }
        return value;
    }

    private static DateOnly? Day(string? text, string path, long line, string field, bool required)
    {
        if (string.IsNullOrEmpty(text))
        {
            return required ? throw Fault(path, line, field, "is empty; expected a date YYYY-MM-DD") : null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw Fault(path, line, field, $"is '{text}'; expected a date YYYY-MM-DD");
        }
        return day;
    }

    private static LlmLogException StrayQuote(string path, string field, long rawRow)
    {
        // The parser has read past every line break inside the field; the fault is on the line the field starts.
        var line = rawRow - field.Count(c => c == '\n');
        var shown = field.Trim().ReplaceLineEndings(" ");
        if (shown.Length > 40) shown = shown[..40] + "...";
        var reason = field.TrimStart().StartsWith('"') && field.Count(c => c == '"') % 2 == 1
            ? $"opens a double quote that is never closed ({shown})"
            : $"has a double quote inside a field that is not enclosed in quotes ({shown})";
        return Fault(path, line, null, reason + "; enclose such a field in double quotes and double each quote inside it, e.g. \"a \"\"b\"\"\"");
    }

    private static LlmLogException Fault(string path, long line, string? field, string reason) =>
        new(ExitCode.InputError, string.Create(CultureInfo.InvariantCulture,
            $"price table {path}, line {line}{(field is null ? "" : ", " + field)}: {reason}"));
}
