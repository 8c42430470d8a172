using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace LlmLog.Validation;

/// <summary>What validation made of one record: a call to load, or a rejection with its reason.</summary>
/// <param name="Rejection">Set when the record must not be loaded.</param>
/// <param name="Created">The record's <c>created</c> instant (UTC) when it could be read, rejected or not.</param>
/// <param name="CallId">
/// For a rejected record that is a well-formed object with a usable id, the id it would have as a call (its own
/// <c>id</c>, else the hash of its canonical JSON): a re-read of a record an older llmlog loaded as a call, and
/// today's rules reject, is a duplicate of that call, not a second verdict on it.
/// </param>
/// <param name="ContentId">
/// For a rejected record that is a JSON object read to its end, the hash of its canonical JSON, which keys it in <c>rejects</c>: the
/// same bad record pretty-printed in one export and on one line in another is one reject, as it would be one call.
/// </param>
public readonly record struct ValidationResult(Rejection? Rejection, DateTime? Created, string? CallId = null, string? ContentId = null)
{
    public bool IsAccepted => Rejection is null;

    /// <summary>The UTC day of <see cref="Created"/>.</summary>
    public DateOnly? CreatedDay => Created is { } c ? DateOnly.FromDateTime(c) : null;
}

/// <summary>
/// Checks one log record against the rules in docs/ingest.md and flattens it into a <see cref="CallRow"/>.
/// One forward pass over the bytes; the first fault found is the one reported.
/// </summary>
public sealed class CallRecordValidator
{
    /// <summary>Allowance for TTFT over latency: start and end are written with millisecond precision.</summary>
    public const double TtftToleranceSeconds = 0.001;

    /// <summary>
    /// The deepest nesting of objects and arrays a record may have, the record itself counting as one level.
    /// Records are a few levels deep; the limit only bounds what a hostile input can make the validator and the
    /// id's canonicalizer (which recurses) do. It was System.Text.Json's default of 64, which rejected real
    /// records for a deep value in a field llmlog does not even read.
    /// </summary>
    public const int MaxDepth = 256;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    // Only to tell a record nested too deeply from one that is not JSON at all.
    private static readonly JsonReaderOptions AnyDepth = new() { MaxDepth = int.MaxValue, CommentHandling = JsonCommentHandling.Disallow };

    [Flags]
    private enum Seen
    {
        None = 0, Created = 1 << 0, Model = 1 << 1, Stream = 1 << 2, MaxTokens = 1 << 3, Temperature = 1 << 4,
        Type = 1 << 5, Metrics = 1 << 6, Id = 1 << 7, Start = 1 << 8, End = 1 << 9, Tokens = 1 << 10,
        PromptTokens = 1 << 11, CompletionTokens = 1 << 12, Ttft = 1 << 13, Cost = 1 << 14, CachedTokens = 1 << 15,
    }

    /// <summary>Validates <paramref name="json"/> and, when it is accepted, fills <paramref name="row"/>.</summary>
    public ValidationResult Validate(ReadOnlySpan<byte> json, CallRow row)
    {
        if (!Utf8.IsValid(json))
        {
            return Reject(null, $"is not valid UTF-8 (bad byte sequence at byte {(FirstInvalidUtf8(json) + 1).ToString(CultureInfo.InvariantCulture)} of the record)");
        }

        var p = new Parsed();
        Rejection? first = null;
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));
            if (!reader.Read()) return Reject(null, "is empty");
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Reject(null, $"is a JSON {Describe(reader.TokenType)}, not an object");
            }
            var seen = Seen.None;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = KnownTopLevel(ref reader);
                reader.Read();
                if (field == Seen.None)
                {
                    reader.Skip();
                    continue;
                }
                if ((seen & field) != 0)
                {
                    first ??= new Rejection(NameOf(field), "appears more than once in the record; which value is meant is unclear");
                    reader.Skip();
                    continue;
                }
                seen |= field;
                var error = ReadTopLevel(field, ref reader, ref p, ref seen);
                if (error is not null) first ??= error;
            }
            // The reader throws at a second value instead of reading it, so a JSON Lines line holding two records was
            // rejected with .NET's "'{' is invalid after a single JSON value. Expected end of data." and never with the
            // reason docs/ingest.md gives (found by probing ingest). Text after the object that starts no JSON value is
            // still not valid JSON, and the reader's exception says where.
            if (SecondValueAt(json, (int)reader.BytesConsumed) is { } second)
            {
                return Reject(null, string.Create(CultureInfo.InvariantCulture,
                    $"has more than one JSON value (the second starts at byte {second + 1} of the record); write each record on a line of its own"));
            }
            if (reader.Read())
            {
                return Reject(null, "has more than one JSON value");
            }
        }
        catch (InvalidOperationException)
        {
            // A key or value escaping a lone UTF-16 surrogate (\ud800) is valid JSON syntax that decodes to no character.
            const string LoneSurrogate = "holds a \\u escape of a lone UTF-16 surrogate, which is not a character and cannot be stored as text";
            return FieldAtSyntaxError(json, AnyDepth) is { } at
                ? new ValidationResult(new Rejection(at, LoneSurrogate), null)
                : Reject(null, LoneSurrogate);
        }
        catch (JsonException)
        {
            // The reader stops at MaxDepth as at a syntax error; read without the limit, the record is either valid
            // JSON nested too deeply, or not JSON, for the reason (and at the place) that the unlimited read finds.
            if (SyntaxError(json) is { } syntax)
            {
                return FieldAtSyntaxError(json, AnyDepth) is { } field
                    ? new ValidationResult(new Rejection(field, $"is not valid JSON: {Escaped(Trim(syntax))}"), null)
                    : Reject(null, $"is not valid JSON: {Escaped(Trim(syntax))}");
            }
            var tooDeep = string.Create(CultureInfo.InvariantCulture,
                $"is valid JSON nested more than {MaxDepth} levels deep; llmlog reads records nested up to {MaxDepth} levels");
            // The top-level field holding the deep value: the path down to it would be hundreds of names long.
            return FieldAtSyntaxError(json, ReaderOptions, names: 1) is { } deepField
                ? new ValidationResult(new Rejection(deepField, tooDeep), null)
                : Reject(null, tooDeep);
        }

        var created = p.Created;
        if (first is null) first = Finish(ref p, json, row);
        if (first is null) return new ValidationResult(null, created);
        // A JSON Lines file of export pages (one API response per line) rejected every page as "created is missing".
        if (first.Value.Field == "created" && p.CreatedText is null && p.Model is null && IsExportPage(json))
        {
            return Reject(null, "is a page of an export (an object with a \"data\" array of records), not a call: a JSON Lines file holds one call per line; "
                + "save each page as a .json file of its own, or write its records one per line");
        }
        // Rejects are rare, so hashing them costs the hot path nothing; a record whose id is at fault has none.
        var contentId = RecordId.OfCanonicalJson(json);
        var callId = first.Value.Field == "id" ? null : p.Id ?? contentId;
        return new ValidationResult(first, created, callId, contentId);

        static ValidationResult Reject(string? field, string reason) => new(new Rejection(field, "record " + reason), null);
    }

    private ref struct Parsed
    {
        public DateTime? Created;
        public string? CreatedText;
        public string? Model;
        public bool? Stream;
        public long? MaxTokens;
        public double? Temperature;
        public string? Type;
        public string? Id;
        public double? Start;
        public double? End;
        public long? Tokens;
        public long? PromptTokens;
        public long? CompletionTokens;
        public long? CachedTokens;
        public double? Ttft;
        public double? Cost;
    }

    private static Rejection? ReadTopLevel(Seen field, ref Utf8JsonReader r, ref Parsed p, ref Seen seen)
    {
        switch (field)
        {
            case Seen.Created:
                if (r.TokenType == JsonTokenType.Null) return new Rejection("created", "is null; every call needs its UTC creation time");
                // Unix time is the commonest other way to write it: say which instant the number would be.
                if (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var number) && Timestamps.AsUnixTimeInAnyUnit(number) is var (unit, instant))
                {
                    // Quoted as written: a time in nanoseconds read as a double printed as 1.7345400401234568E+18 (found by probing time).
                    return new Rejection("created", string.Create(CultureInfo.InvariantCulture,
                        $"is a number, {Raw(ref r)}, which as Unix time in {unit} is {instant:yyyy-MM-dd HH:mm:ss.ffffff} UTC; write it as a timestamp string like \"{instant:yyyy-MM-dd HH:mm:ss}\""));
                }
                if (r.TokenType != JsonTokenType.String) return new Rejection("created", $"is {Kind(ref r)}; expected a timestamp string like \"2024-12-18 16:40:40\"");
                if (ReadText("created", ref r, out var text) is { } badCreated) return badCreated;
                if (!Timestamps.TryParseCreated(text, out var created))
                {
                    return new Rejection("created", Timestamps.WhyNoSuchTime(text) is { } impossible
                        ? $"\"{Printable(text)}\" {impossible}"
                        : $"\"{Printable(text)}\" is not a timestamp; expected \"YYYY-MM-DD HH:MM:SS\" (UTC) or ISO 8601");
                }
                if (created < Timestamps.FirstCreated || created >= Timestamps.AfterLastCreated)
                {
                    // Kept out of the warehouse: day arithmetic and time zones overflow near years 1 and 9999, and a
                    // call there left summary, report and export failing on the whole warehouse. Where an offset moved
                    // the instant across the edge, the year written is inside: the reason gives the instant in UTC.
                    var utc = created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                    var written = text.Length >= 19 ? text[..19].Replace('T', ' ').Replace('t', ' ') : text;
                    return new Rejection("created", $"\"{Printable(text)}\" is {(written == utc ? "" : utc + " UTC, ")}outside the years "
                        + $"{Timestamps.FirstCreated.Year.ToString(CultureInfo.InvariantCulture)} to {(Timestamps.AfterLastCreated.Year - 1).ToString(CultureInfo.InvariantCulture)} that llmlog accepts");
                }
                p.Created = created;
                p.CreatedText = text;
                return null;
            case Seen.Model:
                if (r.TokenType != JsonTokenType.String) return new Rejection("model", r.TokenType == JsonTokenType.Null ? "is null; every call needs a model name" : $"is {Kind(ref r)}; expected the model name as a string");
                if (ReadText("model", ref r, out var model) is { } badModel) return badModel;
                if (string.IsNullOrWhiteSpace(model)) return new Rejection("model", "is empty; every call needs a model name");
                if (TooLongForAKey("model", model, "model names") is { } longModel) return longModel;
                if (NotAsNamed("model", model, "model name") is { } paddedModel) return paddedModel;
                p.Model = model;
                return null;
            case Seen.Stream:
                if (r.TokenType == JsonTokenType.Null) return null;
                if (r.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return new Rejection("stream", $"is {DescribeValue(ref r)}; expected true or false");
                p.Stream = r.GetBoolean();
                return null;
            case Seen.MaxTokens:
                return ReadCount("max_tokens", ref r, out p.MaxTokens);
            case Seen.Temperature:
                return ReadNumber("temperature", ref r, out p.Temperature);
            case Seen.Type:
                if (r.TokenType == JsonTokenType.Null) return null;
                if (r.TokenType != JsonTokenType.String) return new Rejection("type", $"is {DescribeValue(ref r)}; expected the request type as a string");
                if (ReadText("type", ref r, out var type) is { } badType) return badType;
                if (NotAsNamed("type", type, "request type") is { } paddedType) return paddedType;
                p.Type = type;
                return null;
            case Seen.Id:
                if (r.TokenType == JsonTokenType.String)
                {
                    if (ReadText("id", ref r, out var id) is { } badId) return badId;
                    p.Id = id;
                }
                else if (r.TokenType == JsonTokenType.Number) p.Id = Encoding.UTF8.GetString(r.ValueSpan);
                else r.Skip();
                if (string.IsNullOrEmpty(p.Id)) p.Id = null;
                if (p.Id is not null && TooLongForAKey("id", p.Id, "ids") is { } longId)
                {
                    p.Id = null;
                    return longId;
                }
                return null;
            case Seen.Metrics:
                if (r.TokenType == JsonTokenType.Null) return null;
                if (r.TokenType != JsonTokenType.StartObject) return new Rejection("metrics", $"is {DescribeValue(ref r)}; expected an object or null");
                return ReadMetrics(ref r, ref p, ref seen);
            default:
                r.Skip();
                return null;
        }
    }

    private static Rejection? ReadMetrics(ref Utf8JsonReader r, ref Parsed p, ref Seen seen)
    {
        Rejection? first = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var field = KnownMetric(ref r);
            r.Read();
            if (field == Seen.None)
            {
                r.Skip();
                continue;
            }
            if ((seen & field) != 0)
            {
                first ??= new Rejection(NameOf(field), "appears more than once in metrics; which value is meant is unclear");
                r.Skip();
                continue;
            }
            seen |= field;
            var error = field switch
            {
                Seen.Start => ReadNumber("metrics.start", ref r, out p.Start),
                Seen.End => ReadNumber("metrics.end", ref r, out p.End),
                Seen.Ttft => ReadNumber("metrics.time_to_first_token", ref r, out p.Ttft),
                Seen.Tokens => ReadCount("metrics.tokens", ref r, out p.Tokens),
                Seen.PromptTokens => ReadCount("metrics.prompt_tokens", ref r, out p.PromptTokens),
                Seen.CompletionTokens => ReadCount("metrics.completion_tokens", ref r, out p.CompletionTokens),
                Seen.CachedTokens => ReadCount("metrics.prompt_cached_tokens", ref r, out p.CachedTokens),
                Seen.Cost => ReadNumber("metrics.cost", ref r, out p.Cost),
                _ => null,
            };
            first ??= error;
        }
        return first;
    }

    /// <summary>
    /// A string field's text, or why it cannot be stored: PostgreSQL text cannot hold NUL, and an escaped lone
    /// UTF-16 surrogate (<c>\ud800</c>) is no character at all — left alone, either would fail the whole file.
    /// </summary>
    private static Rejection? ReadText(string field, ref Utf8JsonReader r, out string value)
    {
        try
        {
            value = r.GetString()!;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return new Rejection(field, "holds a \\u escape of a lone UTF-16 surrogate, which is not a character and cannot be stored as text");
        }
        return value.Contains('\0', StringComparison.Ordinal)
            ? new Rejection(field, "contains a NUL character (\\u0000), which a warehouse text column cannot hold")
            : null;
    }

    /// <summary>
    /// The longest id and model name accepted, in characters (Unicode code points, as PostgreSQL's
    /// <c>char_length</c> counts them). Both are keys of the warehouse's indexes, and a PostgreSQL index entry holds
    /// at most about 2,700 bytes: a longer one failed the load (an id) or every refresh after it (a model), and with
    /// the refresh every summary, report and export. 512 characters are at most 2,048 bytes of UTF-8 (4 per
    /// character), and far longer than any real model name or call id.
    /// </summary>
    public const int MaxKeyLength = 512;

    private static Rejection? TooLongForAKey(string field, string value, string what)
    {
        // Counted in UTF-16 units, 257 emoji were "514 characters long". A string has no more code points than units,
        // and ReadText has rejected lone surrogates, so every pair is one character.
        if (value.Length <= MaxKeyLength) return null;
        var characters = value.Length;
        foreach (var c in value)
        {
            if (char.IsHighSurrogate(c)) characters--;
        }
        return characters <= MaxKeyLength
            ? null
            : new Rejection(field, string.Create(CultureInfo.InvariantCulture,
                $"is {characters:N0} characters long; llmlog takes {what} of up to {MaxKeyLength} characters, as the warehouse indexes them"));
    }

    /// <summary>
    /// A model name or request type with white space around it, or a control character in it: it would count as a
    /// name of its own beside the one meant (<c>"gpt-4o "</c> beside <c>"gpt-4o"</c>, unpriced), and a report's table
    /// shows the two alike, since HTML collapses white space. The name is not trimmed in silence: the logger that
    /// wrote it is what to fix, and the reason says to what.
    /// </summary>
    private static Rejection? NotAsNamed(string field, string value, string what)
    {
        var trimmed = value.Trim();
        if (trimmed.Length != value.Length)
        {
            return new Rejection(field, trimmed.Length == 0
                ? $"\"{Printable(value)}\" is only white space; leave {field} out, or write null, when there is no {what}"
                : $"\"{Printable(value)}\" has white space before or after it, so it would count apart from \"{Printable(trimmed)}\"; write the {what} without it");
        }
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return new Rejection(field, $"\"{Printable(value)}\" contains the control character {Escaped(c.ToString())}; write the {what} without it");
            }
            if (IsDirectionControl(c))
            {
                return new Rejection(field, $"\"{Printable(value)}\" contains the invisible direction control {Escaped(c.ToString())}, which reorders the text around the name; write the {what} without it");
            }
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (InvisibleAt(value, i) is { } invisible)
            {
                return new Rejection(field, $"\"{Printable(value)}\" contains the invisible character {Hex(invisible)}, so it would count apart from the {what} it looks like; write the {what} without it");
            }
        }
        return null;
    }

    /// <summary>
    /// The character at <paramref name="i"/> when it shows nothing: Unicode's format characters (zero-width space U+200B,
    /// word joiner U+2060, U+FEFF, soft hyphen U+00AD, U+180E, the tag characters) and the Hangul fillers. "gpt-4o" with
    /// one of them loaded as a model of its own, unpriced, that every table showed as "gpt-4o", and a request type
    /// "text\u200B" was left out of the text calls (found by probing both engines). The zero-width joiner and non-joiner
    /// between two characters outside ASCII (an emoji sequence, Persian or an Indic script) are part of the writing.
    /// </summary>
    private static Rune? InvisibleAt(string value, int i)
    {
        if (char.IsLowSurrogate(value[i]) || !Rune.TryGetRuneAt(value, i, out var rune)) return null;
        if (rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0) return rune;
        if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format) return null;
        var joiner = rune.Value is 0x200C or 0x200D;
        var between = i > 0 && i + 1 < value.Length && value[i - 1] > '\u007F' && value[i + 1] > '\u007F';
        return joiner && between ? null : rune;
    }

    private static string Hex(Rune rune) => "U+" + rune.Value.ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>
    /// Unicode's invisible direction marks, embeddings, overrides and isolates. In a name they are invisible, so it
    /// counts apart from the name it looks like, and they reorder the text the name is shown in: a model name holding
    /// U+202E reversed the rest of a report's caption, other models' figures with it ("1,920" read "029,1"), and the
    /// HTML and PDF showed the name differently (found by probing the report).
    /// </summary>
    private static bool IsDirectionControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>Largest logged cost one call may report, in USD: a billion tokens at well over today's highest prices.</summary>
    public const double MaxCostUsd = 1_000_000;

    /// <summary>Largest token count (or max_tokens) one call may report: a thousand times today's largest context windows.</summary>
    public const long MaxCount = 1_000_000_000;

    /// <summary>The highest temperature accepted: far above any API's (0 to 2), far below what sums of squares overflow at.</summary>
    public const double MaxTemperature = 100;

    /// <summary>The longest time to first token accepted: the span of the times llmlog accepts.</summary>
    public static readonly double MaxSeconds = (Timestamps.AfterLastCreated - Timestamps.FirstCreated).TotalSeconds;

    /// <summary>The shortest latency an output rate is computed for (the warehouse keeps times to the microsecond).</summary>
    public const double MinRateLatencySeconds = 1e-6;

    private static Rejection? ReadCount(string field, ref Utf8JsonReader r, out long? value)
    {
        value = null;
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.Number) return new Rejection(field, $"is {DescribeValue(ref r)}; expected a whole number of 0 or more");
        if (!r.TryGetInt64(out var n))
        {
            // JSON has one number type, and loggers that go through floats write a count as 150.0 or 1.5e2:
            // a whole number however it is spelled is a count.
            var whole = r.TryGetDouble(out var d) && double.IsFinite(d) && Math.Floor(d) == d;
            if (whole && Math.Abs(d) >= 9.2e18) return new Rejection(field, $"is {Raw(ref r)}, beyond a 64-bit integer");
            if (!whole) return new Rejection(field, $"is {Raw(ref r)}; expected a whole number of 0 or more");
            n = (long)d;
        }
        if (n < 0) return new Rejection(field, $"is {n.ToString(CultureInfo.InvariantCulture)}; a count cannot be negative");
        if (n > MaxCount)
        {
            // Summed over millions of calls, counts this large overflow a 64-bit total and the marts fail to build.
            return new Rejection(field, $"is {n.ToString(CultureInfo.InvariantCulture)}, more than the {MaxCount.ToString("N0", CultureInfo.InvariantCulture)} one call can hold");
        }
        value = n;
        return null;
    }

    private static Rejection? ReadNumber(string field, ref Utf8JsonReader r, out double? value)
    {
        value = null;
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.Number) return new Rejection(field, $"is {DescribeValue(ref r)}; expected a number");
        if (!r.TryGetDouble(out var d) || !double.IsFinite(d)) return new Rejection(field, $"is {Raw(ref r)}, not a finite number");
        // -0.0 is a value of its own to DuckDB, which then wrote 0.0 as -0 within a column: the report listed
        // "-0.0" as a temperature setting beside 0.0. A negative zero measures nothing a zero does not.
        value = d == 0 ? 0 : d;
        return null;
    }

    /// <summary>Whole-record rules, then the flattening.</summary>
    private static Rejection? Finish(ref Parsed p, ReadOnlySpan<byte> json, CallRow row)
    {
        if (p.Created is null) return new Rejection("created", "is missing; every call needs its UTC creation time");
        if (p.Model is null) return new Rejection("model", "is missing; every call needs a model name");
        if (p.Ttft is < 0) return new Rejection("metrics.time_to_first_token", $"is {p.Ttft.Value.ToString("R", CultureInfo.InvariantCulture)}; time to first token cannot be negative");
        if (p.Ttft > MaxSeconds)
        {
            // PostgreSQL's avg() also sums squares, which overflowed at ~1e154 and failed every refresh of the day.
            return new Rejection("metrics.time_to_first_token",
                $"is {p.Ttft.Value.ToString("R", CultureInfo.InvariantCulture)}, longer than the {MaxSeconds.ToString("N0", CultureInfo.InvariantCulture)} seconds between the earliest and latest times llmlog accepts");
        }
        if (p.Temperature is < 0) return new Rejection("temperature", $"is {p.Temperature.Value.ToString("R", CultureInfo.InvariantCulture)}; a temperature cannot be negative");
        if (p.Temperature > MaxTemperature)
        {
            // As above: 1e300 was loaded, then failed every refresh, summary and export on PostgreSQL.
            return new Rejection("temperature",
                $"is {p.Temperature.Value.ToString("R", CultureInfo.InvariantCulture)}, above the {MaxTemperature.ToString(CultureInfo.InvariantCulture)} llmlog accepts (LLM APIs take 0 to 2)");
        }
        if (p.Cost is < 0) return new Rejection("metrics.cost", $"is {p.Cost.Value.ToString("R", CultureInfo.InvariantCulture)}; a cost cannot be negative");
        if (p.Cost > MaxCostUsd)
        {
            // Summed over a day, a cost like 1e308 became Infinity in every total that included it.
            return new Rejection("metrics.cost", $"is {p.Cost.Value.ToString("R", CultureInfo.InvariantCulture)}, more than the {MaxCostUsd.ToString("N0", CultureInfo.InvariantCulture)} USD one call can cost");
        }
        // The years created may have, for the reason it gives: an export in a zone east of UTC wrote an end in 9999
        // as a clamped, wrong instant.
        DateTime? startedAt = null, endedAt = null;
        if (p.Start is { } s)
        {
            if (!Timestamps.TryFromEpochSeconds(s, out var st)) return new Rejection("metrics.start", OutsideTheYears(s));
            startedAt = st;
        }
        if (p.End is { } e)
        {
            if (!Timestamps.TryFromEpochSeconds(e, out var en)) return new Rejection("metrics.end", OutsideTheYears(e));
            endedAt = en;
        }
        // Compared as stored, to the microsecond: an end a fraction of a microsecond before its start (doubles near 1.7e9
        // are a quarter of one apart) is the same instant, a latency of 0, not a record to reject.
        if (p.Start is { } s2 && p.End is { } e2 && endedAt < startedAt)
        {
            return new Rejection("metrics.end", $"({e2.ToString("R", CultureInfo.InvariantCulture)}) is before metrics.start ({s2.ToString("R", CultureInfo.InvariantCulture)})");
        }

        row.Created(p.Created.Value);
        row.Model = p.Model;
        (row.ModelFamily, row.ModelVersion) = ModelName.Split(p.Model);
        row.Stream = p.Stream;
        row.RequestType = p.Type;
        row.MaxTokens = p.MaxTokens;
        row.Temperature = p.Temperature;
        row.StartedAt = startedAt;
        row.EndedAt = endedAt;
        // From the instants as stored, to the microsecond: end - start of two epoch-second doubles near 1.7e9 carried
        // their rounding into the 8th decimal (1.835 s was 1.8350000381469727), and ended_at - started_at disagreed with it.
        row.LatencySeconds = startedAt is { } a && endedAt is { } b ? (b - a).Ticks / (double)TimeSpan.TicksPerSecond : null;
        row.TtftSeconds = p.Ttft;
        row.PromptTokens = p.PromptTokens;
        row.CompletionTokens = p.CompletionTokens;
        row.PromptCachedTokens = p.CachedTokens;
        row.TotalTokens = p.Tokens ?? (p.PromptTokens is { } pt && p.CompletionTokens is { } ct ? pt + ct : null);
        // Below a microsecond, the warehouse's resolution, a rate is no measurement: 1e9 tokens in 5e-324 s was Infinity.
        row.OutputTokensPerSecond = p.CompletionTokens is { } c1 && row.LatencySeconds is >= MinRateLatencySeconds ? c1 / row.LatencySeconds.Value : null;
        // SDKs write max_tokens 0 for "unset", and no provider accepts a limit of 0: it is no limit, one no call can
        // hit or exceed (every call reporting completion tokens hit it, and the report's max_tokens use, which counts
        // limits above 0, did not count those calls).
        var limit = p.MaxTokens is > 0 ? p.MaxTokens : null;
        row.HitMaxTokens = p.CompletionTokens is { } c2 && limit is { } m1 ? c2 >= m1 : null;
        row.LoggedCostUsd = p.Cost;

        var flags = CallFlags.None;
        if (p.Tokens is { } t && p.PromptTokens is { } pt2 && p.CompletionTokens is { } ct2 && t != pt2 + ct2) flags |= CallFlags.TokensMismatch;
        if (p.Tokens is null && p.PromptTokens is null && p.CompletionTokens is null) flags |= CallFlags.MissingUsage;
        if (p.Ttft is { } ttft && row.LatencySeconds is { } lat && ttft > lat + TtftToleranceSeconds) flags |= CallFlags.TtftExceedsLatency;
        if (p.CompletionTokens is { } c3 && limit is { } m2 && c3 > m2) flags |= CallFlags.CompletionExceedsMaxTokens;
        row.Flags = flags;

        row.RecordId = p.Id ?? RecordId.OfCanonicalJson(json);
        return null;
    }

    private static string OutsideTheYears(double seconds)
    {
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"is {seconds:R}, outside the years {Timestamps.FirstCreated.Year} to {Timestamps.AfterLastCreated.Year - 1} that llmlog accepts (as Unix time in seconds)");
        // Milliseconds (JavaScript's Date.now()) or micro- or nanoseconds since 1970 are the usual mistake: say which, with
        // the instant meant.
        return Timestamps.AsUnixTimeInAnyUnit(seconds) is var (unit, meant)
            ? string.Create(CultureInfo.InvariantCulture, $"{reason}; as {unit} it would be {meant:yyyy-MM-dd HH:mm:ss.ffffff} UTC: write seconds")
            : reason;
    }

    /// <summary>An object with a top-level <c>data</c> array: the export shape, met where a record was expected.</summary>
    private static bool IsExportPage(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(new JsonReaderOptions { MaxDepth = 1024 }));
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var isData = r.ValueTextEquals("data"u8);
            r.Read();
            if (isData && r.TokenType == JsonTokenType.StartArray) return true;
            r.Skip();
        }
        return false;
    }

    private static Seen KnownTopLevel(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("created"u8)) return Seen.Created;
        if (r.ValueTextEquals("model"u8)) return Seen.Model;
        if (r.ValueTextEquals("stream"u8)) return Seen.Stream;
        if (r.ValueTextEquals("max_tokens"u8)) return Seen.MaxTokens;
        if (r.ValueTextEquals("temperature"u8)) return Seen.Temperature;
        if (r.ValueTextEquals("type"u8)) return Seen.Type;
        if (r.ValueTextEquals("metrics"u8)) return Seen.Metrics;
        if (r.ValueTextEquals("id"u8)) return Seen.Id;
        return Seen.None;
    }

    private static Seen KnownMetric(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("start"u8)) return Seen.Start;
        if (r.ValueTextEquals("end"u8)) return Seen.End;
        if (r.ValueTextEquals("tokens"u8)) return Seen.Tokens;
        if (r.ValueTextEquals("prompt_tokens"u8)) return Seen.PromptTokens;
        if (r.ValueTextEquals("completion_tokens"u8)) return Seen.CompletionTokens;
        if (r.ValueTextEquals("prompt_cached_tokens"u8)) return Seen.CachedTokens;
        if (r.ValueTextEquals("time_to_first_token"u8)) return Seen.Ttft;
        if (r.ValueTextEquals("cost"u8)) return Seen.Cost;
        return Seen.None;
    }

    private static string NameOf(Seen field) => field switch
    {
        Seen.Created => "created",
        Seen.Model => "model",
        Seen.Stream => "stream",
        Seen.MaxTokens => "max_tokens",
        Seen.Temperature => "temperature",
        Seen.Type => "type",
        Seen.Metrics => "metrics",
        Seen.Id => "id",
        Seen.Start => "metrics.start",
        Seen.End => "metrics.end",
        Seen.Tokens => "metrics.tokens",
        Seen.PromptTokens => "metrics.prompt_tokens",
        Seen.CompletionTokens => "metrics.completion_tokens",
        Seen.CachedTokens => "metrics.prompt_cached_tokens",
        Seen.Ttft => "metrics.time_to_first_token",
        Seen.Cost => "metrics.cost",
        _ => "?",
    };

    /// <summary>Why <paramref name="json"/> is not one JSON value, at any depth; null when it is.</summary>
    private static string? SyntaxError(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(AnyDepth));
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException e)
        {
            // .NET ends its message with "LineNumber: 0 | BytePositionInLine: 61.", counted from 0 within the record,
            // which read beside the file's own line number as a wrong place: say it in the record's own terms.
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
            var where = e.LineNumber is > 0
                ? string.Create(CultureInfo.InvariantCulture, $"line {e.LineNumber + 1} of the record, byte {e.BytePositionInLine + 1}")
                : string.Create(CultureInfo.InvariantCulture, $"byte {e.BytePositionInLine + 1} of the record");
            if (NonFiniteLiteral(json[(int)reader.BytesConsumed..]) is { } literal) message = NonFiniteReason(literal);
            return $"{message} (at {where})";
        }
    }

    /// <summary>
    /// The offset (from 0) at which a second JSON value starts in <paramref name="json"/> after the first, which ends at
    /// <paramref name="end"/>; null when only white space follows it, or text that starts no JSON value.
    /// </summary>
    private static int? SecondValueAt(ReadOnlySpan<byte> json, int end)
    {
        var rest = json[end..];
        var start = end + rest.Length - rest.TrimStart(" \t\r\n"u8).Length;
        if (start == json.Length) return null;
        // Its first token is enough: a second record cut short or broken further on is still a second value.
        var reader = new Utf8JsonReader(json[start..], isFinalBlock: true, new JsonReaderState(AnyDepth));
        try
        {
            return reader.Read() ? start : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Python's json.dumps writes a float NaN or infinity as NaN, Infinity or -Infinity, which JSON does not have: .NET
    // said only "'N' is an invalid start of a value", which did not tell a user what was wrong or what to write instead.
    private static string? NonFiniteLiteral(ReadOnlySpan<byte> rest)
    {
        rest = rest.TrimStart(" \t\r\n:,"u8);
        if (rest.StartsWith("NaN"u8)) return "NaN";
        if (rest.StartsWith("Infinity"u8)) return "Infinity";
        return rest.StartsWith("-Infinity"u8) ? "-Infinity" : null;
    }

    private static string NonFiniteReason(string literal) =>
        $"{literal} is not a JSON number (Python's json.dumps writes it for {(literal == "NaN" ? "a float that is NaN" : "an infinite float")}); " +
        "write null for a value that is missing";

    /// <summary>
    /// The dotted field whose value holds a syntax error (NaN, Infinity, nesting too deep) for a reader with
    /// <paramref name="options"/>, its first <paramref name="names"/> names, so the user is told where to look;
    /// null when the error is outside any field. Runs only for records already found broken.
    /// </summary>
    private static string? FieldAtSyntaxError(ReadOnlySpan<byte> json, JsonReaderOptions options, int names = int.MaxValue)
    {
        var open = new List<string?>();
        string? pending = null;
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(options));
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pending = Printable(reader.GetString()!);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        open.Add(pending);
                        pending = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        open.RemoveAt(open.Count - 1);
                        pending = null;
                        break;
                    case JsonTokenType.String:
                        _ = reader.GetString(); // throws at an escaped lone surrogate, so its field is found too
                        pending = null;
                        break;
                    default:
                        pending = null;
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            var path = open.Append(pending).OfType<string>().Take(names).ToList();
            return path.Count == 0 ? null : string.Join('.', path);
        }
        return null;
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString().ToLowerInvariant(),
    };

    /// <summary>"a number", "an array": the kind of value, skipping past it so the rest of the record is still read.</summary>
    private static string Kind(ref Utf8JsonReader r)
    {
        var kind = Describe(r.TokenType);
        r.Skip();
        return (kind[0] is 'a' or 'o' ? "an " : "a ") + kind;
    }

    private static string DescribeValue(ref Utf8JsonReader r)
    {
        if (r.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            var kind = Describe(r.TokenType);
            r.Skip();
            return "an " + kind;
        }
        return r.TokenType == JsonTokenType.String ? $"the string \"{Printable(r.GetString()!)}\"" : Raw(ref r);
    }

    private static string Raw(ref Utf8JsonReader r) => Printable(Encoding.UTF8.GetString(r.ValueSpan));

    /// <summary>
    /// Text from the record as a reason or a field name quotes it: at most 60 characters, cut between characters, and
    /// <see cref="Escaped"/>. So a reason is text both engines store (PostgreSQL refuses NUL and unpaired surrogates:
    /// one such reason failed the whole file) and stays one line in a log, whose terminal never sees the record's
    /// escape sequences.
    /// </summary>
    private static string Printable(string s) => Escaped(s.Length <= 60 ? s : s[..(char.IsHighSurrogate(s[56]) ? 56 : 57)] + "...");

    /// <summary><paramref name="text"/> with control characters, unpaired surrogates, quotes and backslashes as JSON escapes.</summary>
    private static string Escaped(string text)
    {
        StringBuilder? b = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                b?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            var escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u115F' or '\u1160' or '\u3164' or '\uFFA0'
                    || char.GetUnicodeCategory(c) == UnicodeCategory.Format => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escape is null)
            {
                b?.Append(c);
                continue;
            }
            b ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            b.Append(escape);
        }
        return b?.ToString() ?? text;
    }

    private static string Trim(string message)
    {
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    /// <summary>The offset (from 0) of the first byte that does not decode as UTF-8.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }
}
