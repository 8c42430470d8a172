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

    /// <summary>The models the model comparison lists: the top <see cref="ReportBuilder.TableModels"/> by calls, the rest pooled into "other".</summary>
    public required IReadOnlyList<ModelMetrics> TableModels { get; init; }
    public required Distributions Distributions { get; init; }

    /// <summary>The days the charts over time draw, and the far-off days they leave out.</summary>
    public required ChartPeriod ChartPeriod { get; init; }

    /// <summary>The days inside <see cref="ChartPeriod"/>: those the charts over time draw and the findings rank.</summary>
    public IReadOnlyList<ReportDay> ChartedDays => Days.Where(d => ChartPeriod.Contains(d.Day)).ToList();
    public required CostSeries Cost { get; init; }
    public required DataQuality Quality { get; init; }

    /// <summary>
    /// Whether the selection holds a call. Without one the report is about data quality alone — every record of its
    /// period failed validation — and the writers leave out the charts and the tables drawn from calls.
    /// </summary>
    public bool HasCalls => Kpis.Calls > 0;
    public required IReadOnlyList<string> Findings { get; init; }
}

/// <summary>
/// What the report covers and where its numbers come from. A report without calls may not know its period (its
/// rejected records have no readable created time, and no --from/--to was given) and has no newest call: those are null.
/// The newest call's local time is its wall time in the report's zone, null when that zone is UTC.
/// </summary>
public sealed record ReportHeader(
    string Title,
    DateOnly? FirstDay,
    DateOnly? LastDay,
    string TimeZone,
    string? ModelFilter,
    DateTime? NewestCallUtc,
    DateTime? NewestCallLocal,
    DateTime GeneratedAtUtc,
    string ToolVersion,
    string Engine,
    IReadOnlyList<string> PriceTableHashes)
{
    /// <summary>The price tables of <see cref="PriceTableHashes"/> that are no longer in force.</summary>
    public IReadOnlyList<string> PriceTablesNoLongerInForce { get; init; } = [];
}

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
    long FlaggedCalls,
    double? AvgOutputTokensPerS,
    long CallsWithStream,
    long CallsWithTotalTokens)
{
    /// <summary>Share of calls that streamed; unknown (null) when no call says whether it streamed.</summary>
    public double? StreamedShare => CallsWithStream == 0 ? null : (double)StreamedCalls / Calls;

    /// <summary>Whether any call of the selection says whether it streamed: without one, "0 streamed" would be a guess.</summary>
    public bool StreamKnown => CallsWithStream > 0;

    /// <summary>Share of the period's records (calls and rejected records) that failed validation; null without a record.</summary>
    public double? RejectedShare => Calls + RejectedRecords == 0 ? null : (double)RejectedRecords / (Calls + RejectedRecords);

    /// <summary>Share of calls with usage that have no price; null when no cost is known at all.</summary>
    public double? UnpricedShare => CallsWithUsage == 0 ? null : (double)UnpricedCalls / CallsWithUsage;
}

/// <summary>One local day: the <c>daily_llm_metrics</c> row exactly as <c>llmlog summary</c> reads it, plus what the charts need beside it.</summary>
public sealed record ReportDay : Transform.DailyMetrics
{
    public ReportDay(Transform.DailyMetrics metrics) : base(metrics)
    {
    }

    /// <summary>TTFT p95 of streamed calls only: for non-streamed calls TTFT is the whole call.</summary>
    public double? P95TtftStreamedS { get; init; }

    public double? AvgTokensPerCall { get; init; }

    /// <summary>Calls per request type (null type as "(none)"), for the stacked daily chart.</summary>
    public IReadOnlyDictionary<string, long> CallsByRequestType { get; init; } = new Dictionary<string, long>();

    /// <summary>The day's calls by model, for the chart of the model mix over time.</summary>
    public IReadOnlyDictionary<string, long> CallsByModel { get; init; } = new Dictionary<string, long>();

    /// <summary>The day's exact p95 latency of each model with a latency, for the findings to name who moved the day's.</summary>
    public IReadOnlyDictionary<string, double> P95LatencyByModel { get; init; } = new Dictionary<string, double>();
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

    /// <summary>Calls that set a max_tokens limit and report their completion tokens: those that can be seen to hit it.</summary>
    public long CallsWithMaxTokensUse { get; init; }

    public double? EstCostUsd { get; init; }

    /// <summary>Calls with usage but no price and no logged cost: <see cref="EstCostUsd"/> leaves them out.</summary>
    public long UnpricedCalls { get; init; }
}

/// <summary>Per-call distributions and the hour grid.</summary>
public sealed record Distributions
{
    /// <summary>Calls per temperature setting, rounded to two decimals, in value order; the calls that set none last (null).</summary>
    public required IReadOnlyList<(decimal? Value, long Calls)> Temperatures { get; init; }
    public required IReadOnlyList<(string Label, long Calls)> RequestTypes { get; init; }

    public required LatencyHistogram Latency { get; init; }

    public required MaxTokensUseHistogram MaxTokensUse { get; init; }
    public required long HitMaxTokensCalls { get; init; }

    /// <summary>Calls and tokens per local hour (hour start, local time), for the usage-over-time chart.</summary>
    public required IReadOnlyList<(DateTime HourStart, long Calls, long Tokens)> Hours { get; init; }

    /// <summary>Beyond this many days the heatmap shows weeks, so rows stay tall enough to read.</summary>
    public const int MaxHeatmapDays = 92;

    /// <summary>The most weeks the heatmap shows, the latest ones, so its size never grows with the data's span.</summary>
    public const int MaxHeatmapWeeks = 53;

    /// <summary>
    /// Calls per local day (rows, in order) and hour of day (0–23): every day of the chart period, or, when that is
    /// longer than <see cref="MaxHeatmapDays"/>, the days of its latest <see cref="MaxHeatmapWeeks"/> weeks (Monday to Sunday).
    /// </summary>
    public required IReadOnlyList<DateOnly> HeatmapDays { get; init; }
    public required long[,] CallsByDayHour { get; init; }

    /// <summary>Which request types and models hit max_tokens, out of their calls that set a limit and report their completion tokens.</summary>
    public required IReadOnlyList<(string Name, long Hits, long Calls)> HitsByModel { get; init; }
    public required IReadOnlyList<(string Name, long Hits, long Calls)> HitsByRequestType { get; init; }
}

/// <summary>Latencies on a log10 axis: bins of <see cref="Width"/> from <see cref="Lo"/> to <see cref="Hi"/>, over the positive latencies.</summary>
public sealed record LatencyHistogram
{
    /// <summary>Calls with a latency, and how they spread: the smallest and largest, the median and p95.</summary>
    public required long Calls { get; init; }
    public double? MinS { get; init; }
    public double? MaxS { get; init; }
    public double? P50S { get; init; }
    public double? P95S { get; init; }

    /// <summary>Calls whose latency is zero (or below), which a log axis cannot draw.</summary>
    public required long NotDrawn { get; init; }
    public required double Lo { get; init; }
    public required double Hi { get; init; }
    public required double Width { get; init; }
    public required IReadOnlyList<long> Counts { get; init; }

    /// <summary>
    /// The bins for positive latencies from <paramref name="minPositive"/> to <paramref name="maxPositive"/>: quarter
    /// decades at the edges, 12 bins a decade, between 8 and 60 bins.
    /// </summary>
    public static (double Lo, double Hi, double Width, int Bins) Layout(double minPositive, double maxPositive)
    {
        var lo = Math.Floor(Math.Log10(minPositive) * 4) / 4;
        var hi = Math.Ceiling(Math.Log10(maxPositive) * 4) / 4;
        if (hi <= lo) hi = lo + 0.25;
        var bins = Math.Clamp((int)Math.Round((hi - lo) * 12), 8, 60);
        return (lo, hi, (hi - lo) / bins, bins);
    }
}

/// <summary>Completion tokens / max_tokens for calls that set max_tokens and report completion tokens.</summary>
public sealed record MaxTokensUseHistogram
{
    public required long Calls { get; init; }
    public double? Median { get; init; }

    /// <summary>Calls per tenth of the limit used (0–9), and at or over the limit (10).</summary>
    public required IReadOnlyList<long> Counts { get; init; }
}

/// <summary>Cost per local day and model, summed from each call's cost in <c>call_costs</c>.</summary>
public sealed record CostSeries(CostSource Source, IReadOnlyList<(DateOnly Day, string Model, double Usd)> Rows)
{
    /// <summary>
    /// Per model, the calls without a cost that a price table no longer in force left so and the table in force prices:
    /// 'llmlog transform --reprice' would cost them.
    /// </summary>
    public IReadOnlyDictionary<string, long> UnpricedPricedInForce { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// Per model, the first day the price table in force prices it, for the models it prices only from a day after their
    /// last call without a cost: their timestamps are wrong or the table lacks an older price, and a price table is not
    /// what they need.
    /// </summary>
    public IReadOnlyDictionary<string, DateOnly> UnpricedBeforeFirstPrice { get; init; } = new Dictionary<string, DateOnly>();

    /// <summary>
    /// Per model, the calls without a cost that log no prompt/completion split (only <c>metrics.tokens</c>): no price can
    /// cost them, so neither a price table nor a reprice is what they need.
    /// </summary>
    public IReadOnlyDictionary<string, long> UnpricedWithoutSplit { get; init; } = new Dictionary<string, long>();

    /// <summary>The calls without a cost that log no prompt/completion split, of every model.</summary>
    public long UnpricedWithoutSplitCalls => UnpricedWithoutSplit.Values.Sum();
}

/// <summary>
/// A model's calls without a cost in the selection: how many log no prompt/completion split, and the last UTC day of
/// the others (null when there are none).
/// </summary>
public sealed record UnpricedModelCalls(string Model, long WithoutSplit, DateOnly? LastDayWithSplit);

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

/// <summary>Data quality of the selection: ingest runs, why records were rejected, how complete fields are, and how many rejected records were loaded corrected since.</summary>
public sealed record DataQuality(
    IReadOnlyList<IngestRunRow> Runs,
    IReadOnlyList<RejectReasonRow> RejectReasons,
    IReadOnlyList<(string Field, long Present, long Calls)> Completeness,
    IReadOnlyList<(string Flag, long Calls)> Flags,
    long RejectsLoadedLater = 0,
    long UndatedRejects = 0)
{
    /// <summary>The period's rejected records per local day of their created instant; undated ones are on no day.</summary>
    public IReadOnlyDictionary<DateOnly, long> RejectsByDay { get; init; } = new Dictionary<DateOnly, long>();
}

/// <summary>
/// One ingest run, as <c>ingest_runs</c> records it; <paramref name="Message"/> says why a run failed or was partial, and
/// <paramref name="CompletedByRun"/> names the run that later read the whole file when this one read it mid-write.
/// </summary>
public sealed record IngestRunRow(long RunId, string FilePath, DateTime StartedAt, string Status, long RecordsRead, long RecordsLoaded,
    long RecordsDuplicate, long RecordsRejected, long RecordsFlagged, string? Message, long? CompletedByRun = null)
{
    /// <summary>Whether the run read any bytes of its file (false when it could not open it): what completes it differs.</summary>
    public bool ReadBytes { get; init; } = true;

    /// <summary>When a person resolved this run by hand (<c>llmlog runs resolve</c>), and their note on what became of its records.</summary>
    public DateTime? ResolvedAt { get; init; }

    /// <inheritdoc cref="ResolvedAt"/>
    public string? ResolvedNote { get; init; }

    /// <summary>
    /// Whether records of this input may be missing from the report: it failed or was cut short, no later run
    /// completed it (a run that read a file while it was still being written, completed by a later run, misses nothing),
    /// and nobody resolved it by hand (its records came in another way: the note says how).
    /// </summary>
    public bool Incomplete => Status is "failed" or "partial" && CompletedByRun is null && ResolvedAt is null;
}

/// <summary>Rejected records grouped by the field at fault.</summary>
public sealed record RejectReasonRow(string Field, long Records, string ExampleReason);
