using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmLog.Generation;
using LlmLog.Validation;

namespace LlmLog.Tests.Generation;

/// <summary>Runs the generator in memory and reads its output back, for the generation tests.</summary>
internal static class GeneratedRecords
{
    public const string CreatedFormat = "yyyy-MM-dd HH:mm:ss";

    public static byte[] Bytes(CallLogGeneratorOptions options)
    {
        using var output = new MemoryStream();
        new CallLogGenerator(options).Write(output);
        return output.ToArray();
    }

    public static List<JsonElement> Parse(byte[] bytes, CallLogFormat format)
    {
        if (format == CallLogFormat.Export)
        {
            using var export = JsonDocument.Parse(bytes);
            return export.RootElement.GetProperty("data").EnumerateArray().Select(r => r.Clone()).ToList();
        }

        return Encoding.UTF8.GetString(bytes)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                using var record = JsonDocument.Parse(line);
                return record.RootElement.Clone();
            })
            .ToList();
    }

    public static List<JsonElement> Generate(CallLogGeneratorOptions options) =>
        Parse(Bytes(options), options.Format);

    /// <summary>
    /// Names what is wrong with a record, judging only its JSON: rejects first, then flags, as an ingester would.
    /// </summary>
    public static RecordDefect Classify(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
            return RecordDefect.NotAnObject;
        if (!record.TryGetProperty("created", out var created))
            return RecordDefect.CreatedMissing;
        if (created.ValueKind != JsonValueKind.String || !TryParseCreated(created.GetString()!, out _))
            return RecordDefect.CreatedUnparseable;
        if (!record.TryGetProperty("model", out var model))
            return RecordDefect.ModelMissing;
        if (model.GetString() == "")
            return RecordDefect.ModelEmpty;
        if (record.GetProperty("stream").ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return RecordDefect.StreamNotBoolean;
        if (record.TryGetProperty("max_tokens", out var maxTokens) && maxTokens.GetInt64() < 0)
            return RecordDefect.MaxTokensNegative;
        if (record.TryGetProperty("temperature", out var temperature) && temperature.ValueKind != JsonValueKind.Number)
            return RecordDefect.TemperatureNotNumber;
        if (temperature.ValueKind == JsonValueKind.Number && temperature.GetDouble() is < 0 or > CallRecordValidator.MaxTemperature)
            return RecordDefect.TemperatureOutOfRange;

        var metrics = record.GetProperty("metrics");
        foreach (var name in new[] { "tokens", "prompt_tokens", "completion_tokens" })
        {
            if (!metrics.TryGetProperty(name, out var token))
                continue;
            if (token.ValueKind != JsonValueKind.Number)
                return RecordDefect.TokenNotNumber;
            if (!token.TryGetInt64(out var count))
                return RecordDefect.TokenNotInteger;
            if (count < 0)
                return RecordDefect.TokenNegative;
        }
        foreach (var name in new[] { "start", "end", "time_to_first_token" })
            if (metrics.GetProperty(name).ValueKind != JsonValueKind.Number)
                return RecordDefect.TimingNotNumber;

        var start = metrics.GetProperty("start").GetDouble();
        var end = metrics.GetProperty("end").GetDouble();
        var ttft = metrics.GetProperty("time_to_first_token").GetDouble();
        if (ttft < 0)
            return RecordDefect.TtftNegative;
        if (ttft > CallRecordValidator.MaxSeconds)
            return RecordDefect.TtftTooLong;
        if (metrics.TryGetProperty("cost", out var cost) && cost.GetDouble() is < 0 or > CallRecordValidator.MaxCostUsd)
            return RecordDefect.CostOutOfRange;
        if (end < start)
            return RecordDefect.EndBeforeStart;

        if (metrics.TryGetProperty("tokens", out var tokens)
            && tokens.GetInt64() != metrics.GetProperty("prompt_tokens").GetInt64() + metrics.GetProperty("completion_tokens").GetInt64())
            return RecordDefect.TokensMismatch;
        if (ttft > end - start)
            return RecordDefect.TtftExceedsLatency;
        if (metrics.TryGetProperty("completion_tokens", out var completion)
            && record.TryGetProperty("max_tokens", out var limit)
            && completion.GetInt64() > limit.GetInt64())
            return RecordDefect.CompletionExceedsMaxTokens;

        return RecordDefect.None;
    }

    public static bool TryParseCreated(string text, out DateTime created) =>
        DateTime.TryParseExact(text, CreatedFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out created);

    public static DateTime Created(JsonElement record)
    {
        TryParseCreated(record.GetProperty("created").GetString()!, out var created).Should().BeTrue();
        return created;
    }

    public static string RepositoryFile(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LlmLogPipeline.sln")))
                return Path.Combine(dir.FullName, relativePath);
        throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
