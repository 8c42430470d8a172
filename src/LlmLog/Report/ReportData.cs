namespace LlmLog.Report;

/// <summary>Everything one report shows, computed once; the HTML and PDF writers only lay it out.</summary>
public sealed record ReportData
{
    public required ReportHeader Header { get; init; }
    public required Kpis Kpis { get; init; }
    public required IReadOnlyList<ReportDay> Days { get; init; }
    public required IReadOnlyList<ModelMetrics> Models { get; init; }

    /// <summary>The models charts show: the top N by calls, the rest pooled (not averaged) into "other".</summary>
    public required IReadOnlyList<ModelMetrics> ChartModels { get; init; }
    public required Distributions Distributions { get; init; }
    public required CostSeries Cost { get; init; }
    public required DataQuality Quality { get; init; }
    public required IReadOnlyList<string> Findings { get; init; }
}

/// <summary>What the report covers and where its numbers come from.</summary>
public sealed record ReportHeader(
    string Title,
    DateOnly FirstDay,
    DateOnly LastDay,
    string TimeZone,
    string? ModelFilter,
    DateTime NewestCallUtc,
    DateTime GeneratedAtUtc,
    string ToolVersion,
    string Engine,
    IReadOnlyList<string> PriceTableHashes);

/// <summary>The headline numbers of the tiles.</summary>
public sealed record Kpis(
    long Calls,
    long TotalTokens,
    double? EstimatedCostUsd,
    long CallsWithUsage,
    long UnpricedCalls,
    double? P50LatencyS,
    double? P95LatencyS,
    double? P95TtftStreamedS,
    long StreamedCalls,
    long RejectedRecords,
    long FlaggedCalls)
{
    public double StreamedShare => Calls == 0 ? 0 : (double)StreamedCalls / Calls;

    /// <summary>Share of calls with usage that have no price; null when no cost is known at all.</summary>
    public double? UnpricedShare => CallsWithUsage == 0 ? null : (double)UnpricedCalls / CallsWithUsage;
}

/// <summary>One local day: the <c>daily_llm_metrics</c> contract, plus what the charts need beside it.</summary>
public sealed record ReportDay
{
    public required DateOnly Day { get; init; }
    public long Calls { get; init; }
    public long StreamedCalls { get; init; }
    public long NonStreamedCalls { get; init; }
    public long TextCalls { get; init; }
    public long JsonSchemaCalls { get; init; }
    public long CallsWithUsage { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens { get; init; }
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
    public long? UnpricedCalls { get; init; }

    /// <summary>A day at the edge of the data, which may hold only part of the day's calls.</summary>
    public bool Partial { get; init; }

    /// <summary>TTFT p95 of streamed calls only: for non-streamed calls TTFT is the whole call.</summary>
    public double? P95TtftStreamedS { get; init; }

    public double? AvgTokensPerCall { get; init; }

    /// <summary>Calls per request type (null type as "(none)"), for the stacked daily chart.</summary>
    public IReadOnlyDictionary<string, long> CallsByRequestType { get; init; } = new Dictionary<string, long>();
}

/// <summary>One model over the whole period; "other" folds the models beyond the top N in charts.</summary>
public sealed record ModelMetrics
{
    public required string Model { get; init; }
    public long Calls { get; init; }
    public long StreamedCalls { get; init; }
    public long CallsWithUsage { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens { get; init; }
    public double? P50LatencyS { get; init; }
    public double? P95LatencyS { get; init; }
    public double? AvgTtftStreamedS { get; init; }
    public double? P95TtftStreamedS { get; init; }
    public double? AvgTtftNonStreamedS { get; init; }
    public double? P95TtftNonStreamedS { get; init; }
    public double? AvgOutputTokensPerS { get; init; }
    public double? P50OutputTokensPerS { get; init; }
    public long CallsWithMaxTokens { get; init; }
    public long HitMaxTokensCalls { get; init; }
    public double? EstCostUsd { get; init; }
}

/// <summary>Per-call distributions and the hour grid.</summary>
public sealed record Distributions
{
    /// <summary>Calls per temperature value, in value order; null temperature last as "not set".</summary>
    public required IReadOnlyList<(string Label, long Calls)> Temperatures { get; init; }
    public required IReadOnlyList<(string Label, long Calls)> RequestTypes { get; init; }

    /// <summary>Latencies in seconds, sorted.</summary>
    public required IReadOnlyList<double> LatenciesS { get; init; }

    /// <summary>Completion tokens / max_tokens for calls that set max_tokens and report completion tokens.</summary>
    public required IReadOnlyList<double> MaxTokensUse { get; init; }
    public required long HitMaxTokensCalls { get; init; }

    /// <summary>Calls and tokens per local hour (hour start, local time), for the usage-over-time chart.</summary>
    public required IReadOnlyList<(DateTime HourStart, long Calls, long Tokens)> Hours { get; init; }

    /// <summary>Calls per local day (rows, in order) and hour of day (0–23).</summary>
    public required IReadOnlyList<DateOnly> HeatmapDays { get; init; }
    public required long[,] CallsByDayHour { get; init; }

    /// <summary>Which request types and models hit max_tokens, out of their calls that set a limit.</summary>
    public required IReadOnlyList<(string Name, long Hits, long Calls)> HitsByModel { get; init; }
    public required IReadOnlyList<(string Name, long Hits, long Calls)> HitsByRequestType { get; init; }
}

/// <summary>Cost per local day and model, summed from each call's cost in <c>call_costs</c>.</summary>
public sealed record CostSeries(CostSource Source, IReadOnlyList<(DateOnly Day, string Model, double Usd)> Rows);

/// <summary>Which numbers the cost figures are.</summary>
public enum CostSource
{
    /// <summary>No cost known: no call has a logged cost or a price.</summary>
    None,

    /// <summary>Costs from the price table valid on each call's day (and logged costs, which win where present).</summary>
    Estimated,

    /// <summary>Only costs written in the log records themselves (<c>metrics.cost</c>).</summary>
    Logged,
}

/// <summary>Data quality of the selection: ingest runs, why records were rejected, how complete fields are.</summary>
public sealed record DataQuality(
    IReadOnlyList<IngestRunRow> Runs,
    IReadOnlyList<RejectReasonRow> RejectReasons,
    IReadOnlyList<(string Field, long Present, long Calls)> Completeness,
    IReadOnlyList<(string Flag, long Calls)> Flags);

/// <summary>One ingest run, as <c>ingest_runs</c> records it.</summary>
public sealed record IngestRunRow(long RunId, string FilePath, DateTime StartedAt, string Status, long RecordsRead, long RecordsLoaded,
    long RecordsDuplicate, long RecordsRejected, long RecordsFlagged);

/// <summary>Rejected records grouped by the field at fault.</summary>
public sealed record RejectReasonRow(string Field, long Records, string ExampleReason);
