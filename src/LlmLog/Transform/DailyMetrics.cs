using System.Data.Common;

namespace LlmLog.Transform;

/// <summary>One row of <c>daily_llm_metrics</c> (or the same metrics over a local day), in the contract's column order.</summary>
public record DailyMetrics
{
    /// <summary>The public column contract of <c>daily_llm_metrics</c>: names and order (docs/metrics.md).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "day", "calls", "streamed_calls", "non_streamed_calls", "text_calls", "json_schema_calls", "calls_with_usage",
        "prompt_tokens", "completion_tokens", "total_tokens",
        "avg_ttft_s", "p50_ttft_s", "p95_ttft_s", "p99_ttft_s",
        "avg_latency_s", "p50_latency_s", "p95_latency_s", "p99_latency_s",
        "avg_ttft_text_s", "avg_ttft_json_schema_s", "avg_temperature", "avg_max_tokens", "avg_output_tokens_per_s",
        "hit_max_tokens_calls", "est_cost_usd", "unpriced_calls",
    ];

    public DateOnly Day { get; init; }
    public long Calls { get; init; }
    public long StreamedCalls { get; init; }
    public long NonStreamedCalls { get; init; }
    public long TextCalls { get; init; }
    public long JsonSchemaCalls { get; init; }
    public long CallsWithUsage { get; init; }
    public long? PromptTokens { get; init; }
    public long? CompletionTokens { get; init; }
    public long? TotalTokens { get; init; }
    public double? AvgTtftS { get; init; }
    public double? P50TtftS { get; init; }
    public double? P95TtftS { get; init; }
    public double? P99TtftS { get; init; }
    public double? AvgLatencyS { get; init; }
    public double? P50LatencyS { get; init; }
    public double? P95LatencyS { get; init; }
    public double? P99LatencyS { get; init; }
    public double? AvgTtftTextS { get; init; }
    public double? AvgTtftJsonSchemaS { get; init; }
    public double? AvgTemperature { get; init; }
    public double? AvgMaxTokens { get; init; }
    public double? AvgOutputTokensPerS { get; init; }
    public long HitMaxTokensCalls { get; init; }
    public double? EstCostUsd { get; init; }
    public long UnpricedCalls { get; init; }

    /// <summary>True when the day is the first or last day of the data, or next to a pause of more than a month, so it may hold only part of its calls.</summary>
    public bool Partial { get; init; }

    /// <summary>The values in <see cref="Columns"/> order; null where the metric is unknown.</summary>
    public object?[] Values() =>
    [
        Day, Calls, StreamedCalls, NonStreamedCalls, TextCalls, JsonSchemaCalls, CallsWithUsage,
        PromptTokens, CompletionTokens, TotalTokens,
        AvgTtftS, P50TtftS, P95TtftS, P99TtftS,
        AvgLatencyS, P50LatencyS, P95LatencyS, P99LatencyS,
        AvgTtftTextS, AvgTtftJsonSchemaS, AvgTemperature, AvgMaxTokens, AvgOutputTokensPerS,
        HitMaxTokensCalls, EstCostUsd, UnpricedCalls,
    ];

    /// <summary>Reads the current row of a query that selects <see cref="Columns"/> in order.</summary>
    internal static DailyMetrics Read(DbDataReader r) => new()
    {
        Day = DbValues.Day(r.GetValue(0)),
        Calls = r.GetInt64(1),
        StreamedCalls = r.GetInt64(2),
        NonStreamedCalls = r.GetInt64(3),
        TextCalls = r.GetInt64(4),
        JsonSchemaCalls = r.GetInt64(5),
        CallsWithUsage = r.GetInt64(6),
        PromptTokens = Long(r, 7),
        CompletionTokens = Long(r, 8),
        TotalTokens = Long(r, 9),
        AvgTtftS = Double(r, 10),
        P50TtftS = Double(r, 11),
        P95TtftS = Double(r, 12),
        P99TtftS = Double(r, 13),
        AvgLatencyS = Double(r, 14),
        P50LatencyS = Double(r, 15),
        P95LatencyS = Double(r, 16),
        P99LatencyS = Double(r, 17),
        AvgTtftTextS = Double(r, 18),
        AvgTtftJsonSchemaS = Double(r, 19),
        AvgTemperature = Double(r, 20),
        AvgMaxTokens = Double(r, 21),
        AvgOutputTokensPerS = Double(r, 22),
        HitMaxTokensCalls = r.GetInt64(23),
        EstCostUsd = Double(r, 24),
        UnpricedCalls = r.GetInt64(25),
    };

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static double? Double(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
