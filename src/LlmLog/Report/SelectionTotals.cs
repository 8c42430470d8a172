namespace LlmLog.Report;

/// <summary>The one-row counts of a selection (report/kpis.sql, or kpis_utc.sql from the marts): calls, token total, completeness.</summary>
public sealed record SelectionTotals(
    long Calls,
    long TotalTokens,
    long CallsWithUsage,
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
    long CallsWithTotalTokens);
