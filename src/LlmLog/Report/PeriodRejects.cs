namespace LlmLog.Report;

/// <summary>
/// The records of a selection's period that failed validation (report/rejected_count.sql): all of them, the dated ones,
/// and the first and last dated day; and, apart, those rejected before and since loaded corrected as calls.
/// </summary>
public sealed record PeriodRejects(long Count, long Dated, DateOnly? FirstDay, DateOnly? LastDay, long LoadedLater = 0);
