namespace LlmLog.Report;

/// <summary>The one-row aggregates of a selection (report/kpis.sql): counts, token total, latency percentiles and spread, completeness.</summary>
public sealed record SelectionTotals(
    long Calls,
    long TotalTokens,
    long CallsWithUsage,
    double? P50LatencyS,
    double? P95LatencyS,
    double? P95TtftStreamedS,
    long StreamedCalls,
    long FlaggedCalls,
    long HitMaxTokensCalls,
    long CallsWithStartEnd,
    long CallsWithTtft,
    long CallsWithStream,
    long CallsWithRequestType,
    long CallsWithTemperature,
    long CallsWithMaxTokens,
    DateTime? NewestCallUtc,
    long CallsWithLatency,
    long CallsWithPositiveLatency,
    double? MinLatencyS,
    double? MaxLatencyS,
    double? MinPositiveLatencyS,
    double? MaxPositiveLatencyS,
    double? MedianMaxTokensUse);
