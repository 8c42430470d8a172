using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace LlmLog.Generation;

/// <summary>How generated records are framed: one Braintrust BTQL export object, or one JSON record per line.</summary>
public enum CallLogFormat
{
    Export,
    JsonLines,
}

/// <summary>Settings for <see cref="CallLogGenerator"/>; the defaults give a small, reproducible export.</summary>
public sealed record CallLogGeneratorOptions
{
    public long Count { get; init; } = 1_000;

    /// <summary>From 0 to <see cref="CallLogGenerator.MaxSeed"/>: the same seed writes the same records.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Days of traffic, ending with (and including) <see cref="End"/>.</summary>
    public int Days { get; init; } = 14;

    /// <summary>The newest day (UTC); fixed rather than today so output never depends on when it runs.</summary>
    public DateOnly End { get; init; } = new(2025, 2, 28);

    /// <summary>When inside <see cref="End"/>, no call starts or ends after it (<c>--end today</c>: nothing from later today).</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Share of rejectable records, and separately the same share of flagged-but-valid ones (0 to 0.5).</summary>
    public double BadRate { get; init; }

    public CallLogFormat Format { get; init; } = CallLogFormat.Export;
}

/// <summary>Streams realistic, deterministic Braintrust-style LLM call records, newest first, in constant memory.</summary>
public sealed class CallLogGenerator
{
    public const int MaxDays = 3660;

    /// <summary>
    /// The largest seed. .NET's seeded <see cref="Random"/> takes a seed's absolute value (and int.MaxValue works
    /// as 0), so a negative seed or int.MaxValue would write another seed's records; 0 to this one each write their own.
    /// </summary>
    public const int MaxSeed = int.MaxValue - 1;

    /// <summary>The largest <see cref="CallLogGeneratorOptions.BadRate"/>: as many rejects and as many flagged records as clean ones.</summary>
    public const double MaxBadRate = 0.5;

    private const int ChunkBytes = 64 * 1024;

    // Large enough that every defect's variants (2, 3 or 4 of them) are drawn evenly.
    private const int VariantCount = 12;

    private static readonly Weighted<int?> ChatMaxTokens = new((16000, 50), (4096, 25), (1024, 15), (256, 7), (null, 3));
    private static readonly Weighted<int?> ReasoningMaxTokens = new((100000, 60), (25000, 30), (4096, 10));
    private static readonly Weighted<int?> AnthropicMaxTokens = new((8192, 50), (4096, 30), (1024, 15), (256, 5));
    private static readonly Weighted<int?> OtherMaxTokens = new((4096, 70), (1024, 30));

    private static readonly Weighted<double?> ChatTemperature = new((0.7, 50), (0.0, 15), (0.2, 10), (1.0, 10), (null, 15));
    private static readonly Weighted<double?> ReasoningTemperature = new((null, 70), (1.0, 30));
    private static readonly Weighted<double?> AnthropicTemperature = new((0.7, 40), (1.0, 25), (0.0, 15), (0.3, 10), (null, 10));
    private static readonly Weighted<double?> OtherTemperature = new((0.7, 60), (null, 40));

    private static readonly Caller[] Callers =
    [
        new("summarize_ticket", "/srv/app/support/summarize.py", 88),
        new("classify_intent", "/srv/app/router/intent.py", 41),
        new("extract_invoice_fields", "/srv/app/billing/extract.py", 157),
    ];

    private const string SchemaJson = """
        {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "created": { "type": "string", "description": "UTC, yyyy-MM-dd HH:mm:ss" },
              "model": { "type": "string" },
              "stream": { "type": "boolean" },
              "max_tokens": { "type": "integer" },
              "temperature": { "type": "number" },
              "type": { "type": "string", "enum": ["text", "json_schema"] },
              "metrics": {
                "type": "object",
                "properties": {
                  "start": { "type": "number" },
                  "end": { "type": "number" },
                  "tokens": { "type": "integer" },
                  "prompt_tokens": { "type": "integer" },
                  "completion_tokens": { "type": "integer" },
                  "time_to_first_token": { "type": "number" },
                  "cost": { "type": "number" },
                  "caller_functionname": { "type": "string" },
                  "caller_filename": { "type": "string" },
                  "caller_lineno": { "type": "integer" }
                }
              }
            }
          }
        }
        """;

    public CallLogGenerator(CallLogGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Count, "Count must not be negative.");
        if (options.Seed is < 0 or > MaxSeed)
            throw new ArgumentOutOfRangeException(nameof(options), options.Seed, $"Seed must be between 0 and {MaxSeed.ToString(CultureInfo.InvariantCulture)}; any other seed writes the records of one of these.");
        if (options.Days is < 1 or > MaxDays)
            throw new ArgumentOutOfRangeException(nameof(options), options.Days, $"Days must be between 1 and {MaxDays.ToString(CultureInfo.InvariantCulture)}.");
        if (options.End.AddDays(1 - options.Days) < GeneratedModels.FirstDay)
            throw new ArgumentOutOfRangeException(nameof(options), options.End, "The window starts before any generated model exists.");
        if (!(options.BadRate is >= 0 and <= MaxBadRate))
            throw new ArgumentOutOfRangeException(nameof(options), options.BadRate, $"BadRate must be between 0 and {MaxBadRate.ToString(CultureInfo.InvariantCulture)}.");
        if (!Enum.IsDefined(options.Format))
            throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Unknown format.");
        Options = options;
    }

    public CallLogGeneratorOptions Options { get; }

    /// <summary>Writes every record to <paramref name="output"/>, flushing in small chunks so memory stays flat.</summary>
    public void Write(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);

        // Separate streams keep timestamps and call contents identical whatever the bad rate: defects only
        // corrupt records, they never reshuffle the ones around them.
        var seeds = new Random(Options.Seed);
        var clock = new ArrivalClock(Options.End, Options.Days, Options.Count, new Random(seeds.Next()), Options.NotAfter);
        var notAfterMs = Options.NotAfter?.ToUnixTimeMilliseconds();
        var calls = new Random(seeds.Next());
        var defects = new Random(seeds.Next());

        var buffer = new ArrayBufferWriter<byte>(ChunkBytes + 4096);
        using var json = new Utf8JsonWriter(buffer);
        var export = Options.Format == CallLogFormat.Export;

        if (export)
            Append(buffer, "{\"data\":["u8);
        for (long i = 0; i < Options.Count; i++)
        {
            // One record per line, even inside the export array, keeps diffs of sample files readable.
            if (export)
                Append(buffer, i == 0 ? "\n"u8 : ",\n"u8);

            var call = DrawCall(clock.NextOlderMs(), calls, notAfterMs);
            ApplyDefect(ref call, defects);
            WriteRecord(json, call);
            json.Flush();
            json.Reset();

            if (!export)
                Append(buffer, "\n"u8);
            if (buffer.WrittenCount >= ChunkBytes)
            {
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        if (export)
        {
            Append(buffer, "\n],\"schema\":"u8);
            using (var schema = JsonDocument.Parse(SchemaJson))
                schema.WriteTo(json);
            json.Flush();
            json.Reset();
            Append(buffer, ",\"dialect\":\"clickhouse\"}\n"u8);
        }

        output.Write(buffer.WrittenSpan);
        output.Flush();
    }

    private static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    private static Call DrawCall(long startMs, Random rng, long? notAfterMs)
    {
        var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(startMs).UtcDateTime);
        var model = GeneratedModels.Pick(day, rng);
        var (maxTokensMenu, temperatureMenu, jsonSchemaShare) = model.Family switch
        {
            ModelFamily.OpenAiChat => (ChatMaxTokens, ChatTemperature, 0.25),
            ModelFamily.OpenAiReasoning => (ReasoningMaxTokens, ReasoningTemperature, 0.30),
            // Anthropic had no json_schema response format; structured output went through tools.
            ModelFamily.Anthropic => (AnthropicMaxTokens, AnthropicTemperature, 0.0),
            _ => (OtherMaxTokens, OtherTemperature, 0.10),
        };
        var maxTokens = maxTokensMenu.Pick(rng);
        var temperature = temperatureMenu.Pick(rng);
        var jsonSchema = Distributions.Chance(rng, jsonSchemaShare);
        var stream = Distributions.Chance(rng, model.StreamShare);

        var prompt = (long)Math.Clamp(Math.Round(Distributions.LogNormal(rng, model.PromptMedian, 1.0)), 5, 200_000);
        // Structured output is terse, and callers who set a small max_tokens expect short answers; the log-normal
        // tail still runs into the limit now and then, which is how real calls end up truncated.
        var completionMedian = model.CompletionMedian * (jsonSchema ? 0.4 : 1.0);
        if (maxTokens is { } limit)
            completionMedian = Math.Min(completionMedian, limit * 0.25);
        var completion = (long)Math.Max(1, Math.Round(Distributions.LogNormal(rng, completionMedian, 0.9)));
        if (maxTokens is { } cap && completion > cap)
            completion = cap;

        var firstToken = Distributions.LogNormal(rng, model.FirstTokenSeconds, 0.55) + prompt / 40_000.0;
        var generation = completion / (model.TokensPerSecond * Distributions.LogNormal(rng, 1.0, 0.25));
        if (model.Family == ModelFamily.OpenAiReasoning)
        {
            // Hidden reasoning tokens count as completion but arrive before the first visible token.
            firstToken += 0.7 * generation;
            generation *= 0.3;
        }
        if (Distributions.Chance(rng, 0.01))
            firstToken += Distributions.LogNormal(rng, 8.0, 0.6); // provider queueing or a silent client retry

        var latencyMs = Math.Max(20, (long)Math.Round((firstToken + generation) * 1000));
        // A non-streamed call gets its first token with the whole body, a few ms before the span is closed.
        var ttftMs = stream
            ? Math.Clamp((long)Math.Round(firstToken * 1000), 1, latencyMs - 1)
            : latencyMs - rng.Next(1, 7);
        // A log exported at notAfter (--end today) holds no call that was still running: one that started a moment before
        // ended by then, its latency, first token and completion shortened in proportion, so that its tokens per second
        // stay what they were (found by review: 800 tokens in a few ms skewed the day's throughput). After every draw,
        // so a seed's other calls stay as they were.
        if (notAfterMs is { } exportedMs && startMs + latencyMs > exportedMs)
        {
            var left = Math.Max(1, exportedMs - startMs);
            ttftMs = Math.Clamp(ttftMs * left / latencyMs, Math.Min(1, left), left);
            completion = Math.Max(1, completion * left / latencyMs);
            latencyMs = left;
        }

        // Streamed responses carry usage only when the caller asked for it (stream_options.include_usage).
        var hasTokens = !stream || Distributions.Chance(rng, 0.15);
        double? cost = null;
        if (hasTokens && Distributions.Chance(rng, 0.25))
        {
            var price = model.PriceOn(day);
            cost = Math.Round((double)((prompt * price.InputPer1M + completion * price.OutputPer1M) / 1_000_000m), 6);
        }
        var caller = Distributions.Chance(rng, 0.015) ? Callers[rng.Next(Callers.Length)] : null;

        return new Call
        {
            StartMs = startMs,
            EndMs = startMs + latencyMs,
            Ttft = AsLoggedSeconds(ttftMs),
            Model = model,
            Stream = stream,
            MaxTokens = maxTokens,
            Temperature = temperature,
            JsonSchema = jsonSchema,
            HasTokens = hasTokens,
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = prompt + completion,
            Cost = cost,
            Caller = caller,
        };
    }

    // The logger stores time_to_first_token as a 32-bit float, hence values like 12.769999980926514.
    private static double AsLoggedSeconds(long ms) => (float)(ms / 1000.0);

    private void ApplyDefect(ref Call call, Random rng)
    {
        // Always one roll per record, so the defect stream stays aligned with the records.
        var roll = rng.NextDouble();
        if (roll >= 2 * Options.BadRate)
            return;

        var kinds = roll < Options.BadRate ? RecordDefects.Rejects : RecordDefects.Flags;
        call.Defect = kinds[rng.Next(kinds.Length)];
        call.Variant = rng.Next(VariantCount);

        switch (call.Defect)
        {
            case RecordDefect.TokenNegative:
                call.HasTokens = true;
                switch (call.Variant % 3)
                {
                    case 0: call.TotalTokens = -call.TotalTokens; break;
                    case 1: call.PromptTokens = -call.PromptTokens; break;
                    default: call.CompletionTokens = -call.CompletionTokens; break;
                }
                break;
            case RecordDefect.TokenNotInteger or RecordDefect.TokenNotNumber:
                call.HasTokens = true;
                break;
            case RecordDefect.TtftNegative:
                call.Ttft = -call.Ttft;
                break;
            case RecordDefect.TtftTooLong:
                // A clock gone wrong: milliseconds since 1970 written as seconds.
                call.Ttft = call.StartMs;
                break;
            case RecordDefect.EndBeforeStart:
                call.EndMs = call.StartMs - 1 - rng.Next(5_000);
                break;
            case RecordDefect.TemperatureNotNumber:
                call.Temperature ??= 0.7;
                break;
            case RecordDefect.TemperatureOutOfRange:
                // An "unset" sentinel, or a value from a broken logger.
                call.Temperature = call.Variant % 2 == 0 ? -1 : 1000;
                break;
            case RecordDefect.CostOutOfRange:
                // A refund logged as a negative cost, or cents in micro-dollars.
                call.Cost = call.Variant % 2 == 0 ? -0.0042 - (call.Cost ?? 0) : 4_200_000;
                break;
            case RecordDefect.MaxTokensNegative:
                call.MaxTokens = -(call.MaxTokens ?? 4096);
                break;
            case RecordDefect.TokensMismatch:
                call.HasTokens = true;
                var delta = 1 + rng.Next(50);
                // Never below zero: a negative total would be a reject, not a flag.
                call.TotalTokens += call.Variant % 2 == 0 || call.TotalTokens <= delta ? delta : -delta;
                break;
            case RecordDefect.TtftExceedsLatency:
                call.Ttft = AsLoggedSeconds(call.EndMs - call.StartMs + 50 + rng.Next(2_000));
                break;
            case RecordDefect.CompletionExceedsMaxTokens:
                call.HasTokens = true;
                var maxTokens = call.MaxTokens ?? 1024;
                call.MaxTokens = maxTokens;
                call.CompletionTokens = maxTokens + 1 + rng.Next(Math.Max(1, maxTokens / 10));
                call.TotalTokens = call.PromptTokens + call.CompletionTokens;
                break;
        }
    }

    private static void WriteRecord(Utf8JsonWriter json, in Call call)
    {
        if (call.Defect == RecordDefect.NotAnObject)
        {
            WriteNonObject(json, call);
            return;
        }

        json.WriteStartObject();
        WriteCreated(json, call);

        if (call.Defect == RecordDefect.ModelEmpty)
            json.WriteString(Names.Model, "");
        else if (call.Defect != RecordDefect.ModelMissing)
            json.WriteString(Names.Model, call.Model.EncodedName);

        if (call.Defect == RecordDefect.StreamNotBoolean)
        {
            switch (call.Variant % 3)
            {
                case 0: json.WriteString(Names.Stream, "yes"); break;
                case 1: json.WriteString(Names.Stream, "no"); break;
                default: json.WriteNumber(Names.Stream, 1); break;
            }
        }
        else
        {
            json.WriteBoolean(Names.Stream, call.Stream);
        }

        if (call.MaxTokens is { } maxTokens)
            json.WriteNumber(Names.MaxTokens, maxTokens);

        if (call.Temperature is { } temperature)
        {
            if (call.Defect != RecordDefect.TemperatureNotNumber)
                json.WriteNumber(Names.Temperature, temperature);
            else if (call.Variant % 2 == 0)
                json.WriteString(Names.Temperature, temperature.ToString(CultureInfo.InvariantCulture));
            else
                json.WriteString(Names.Temperature, "hot");
        }

        json.WriteString(Names.Type, call.JsonSchema ? Names.JsonSchema : Names.Text);
        WriteMetrics(json, call);
        json.WriteEndObject();
    }

    private static void WriteNonObject(Utf8JsonWriter json, in Call call)
    {
        switch (call.Variant % 4)
        {
            case 0:
                // A record that was serialised twice and cut off.
                json.WriteStringValue("{\"created\": \"2024-12-18 16:40:4");
                break;
            case 1:
                json.WriteStartArray();
                json.WriteStringValue(call.Model.Name);
                json.WriteNumberValue(call.TotalTokens);
                json.WriteEndArray();
                break;
            case 2:
                json.WriteNumberValue(call.StartMs / 1000.0);
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }

    private static void WriteCreated(Utf8JsonWriter json, in Call call)
    {
        switch (call.Defect)
        {
            case RecordDefect.CreatedMissing:
                return;
            case RecordDefect.CreatedUnparseable:
                json.WriteString(Names.Created, (call.Variant % 4) switch
                {
                    0 => "yesterday",
                    1 => "2024-13-45 25:61:00",
                    2 => "not a date",
                    _ => "",
                });
                return;
        }

        // Formatting the millisecond instant drops the fraction, so created always agrees with start to the second.
        Span<byte> text = stackalloc byte[19];
        JsonNumbers.FormatCreated(call.StartMs, text);
        json.WriteString(Names.Created, text);
    }

    private static void WriteMetrics(Utf8JsonWriter json, in Call call)
    {
        json.WriteStartObject(Names.Metrics);
        WriteEpoch(json, Names.End, call.EndMs, call, 1);
        WriteEpoch(json, Names.Start, call.StartMs, call, 0);
        if (call.HasTokens)
        {
            WriteToken(json, Names.Tokens, call.TotalTokens, call, 0);
            WriteToken(json, Names.PromptTokens, call.PromptTokens, call, 1);
            WriteToken(json, Names.CompletionTokens, call.CompletionTokens, call, 2);
        }
        WriteTiming(json, Names.TimeToFirstToken, call.Ttft, call, 2);
        if (call.Cost is { } cost)
            json.WriteNumber(Names.Cost, cost);
        if (call.Caller is { } caller)
        {
            json.WriteString(Names.CallerFunctionName, caller.Function);
            json.WriteString(Names.CallerFileName, caller.File);
            json.WriteNumber(Names.CallerLineNo, caller.Line);
        }
        json.WriteEndObject();
    }

    private static void WriteEpoch(Utf8JsonWriter json, JsonEncodedText name, long ms, in Call call, int field)
    {
        if (call.Defect == RecordDefect.TimingNotNumber && call.Variant % 3 == field)
        {
            WriteTiming(json, name, ms / 1000.0, call, field);
            return;
        }

        // Same text as writing ms / 1000.0, without the cost of a general shortest-double formatter.
        Span<byte> text = stackalloc byte[JsonNumbers.MaxMillisLength];
        json.WritePropertyName(name);
        json.WriteRawValue(text[..JsonNumbers.FormatMillisAsSeconds(ms, text)], skipInputValidation: true);
    }

    private static void WriteTiming(Utf8JsonWriter json, JsonEncodedText name, double seconds, in Call call, int field)
    {
        if (call.Defect != RecordDefect.TimingNotNumber || call.Variant % 3 != field)
            json.WriteNumber(name, seconds);
        else if (call.Variant / 3 % 2 == 0)
            json.WriteString(name, seconds.ToString(CultureInfo.InvariantCulture));
        else
            json.WriteString(name, "n/a");
    }

    private static void WriteToken(Utf8JsonWriter json, JsonEncodedText name, long value, in Call call, int field)
    {
        var corrupt = call.Variant % 3 == field;
        if (call.Defect == RecordDefect.TokenNotInteger && corrupt)
            json.WriteNumber(name, value + 0.5);
        else if (call.Defect == RecordDefect.TokenNotNumber && corrupt)
            json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
        else
            json.WriteNumber(name, value);
    }

    /// <summary>One generated call before it is written; defects edit it in place.</summary>
    private struct Call
    {
        public long StartMs;
        public long EndMs;
        public double Ttft;
        public ModelProfile Model;
        public bool Stream;
        public int? MaxTokens;
        public double? Temperature;
        public bool JsonSchema;
        public bool HasTokens;
        public long PromptTokens;
        public long CompletionTokens;
        public long TotalTokens;
        public double? Cost;
        public Caller? Caller;
        public RecordDefect Defect;
        public int Variant;
    }

    /// <summary>Where the deprecated caller_* metrics said the call came from.</summary>
    private sealed record Caller(string Function, string File, int Line);

    /// <summary>Pre-encoded property names and fixed values, so writing a record does not re-escape them.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
        public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
        public static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
        public static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("max_tokens");
        public static readonly JsonEncodedText Temperature = JsonEncodedText.Encode("temperature");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText JsonSchema = JsonEncodedText.Encode("json_schema");
        public static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("metrics");
        public static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
        public static readonly JsonEncodedText End = JsonEncodedText.Encode("end");
        public static readonly JsonEncodedText Tokens = JsonEncodedText.Encode("tokens");
        public static readonly JsonEncodedText PromptTokens = JsonEncodedText.Encode("prompt_tokens");
        public static readonly JsonEncodedText CompletionTokens = JsonEncodedText.Encode("completion_tokens");
        public static readonly JsonEncodedText TimeToFirstToken = JsonEncodedText.Encode("time_to_first_token");
        public static readonly JsonEncodedText Cost = JsonEncodedText.Encode("cost");
        public static readonly JsonEncodedText CallerFunctionName = JsonEncodedText.Encode("caller_functionname");
        public static readonly JsonEncodedText CallerFileName = JsonEncodedText.Encode("caller_filename");
        public static readonly JsonEncodedText CallerLineNo = JsonEncodedText.Encode("caller_lineno");
    }
}
