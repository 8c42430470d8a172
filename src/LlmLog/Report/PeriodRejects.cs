namespace LlmLog.Report;

/// <summary>The records of a selection's period that failed validation (report/rejected_count.sql): all of them, the dated ones, and the first and last dated day.</summary>
public sealed record PeriodRejects(long Count, long Dated, DateOnly? FirstDay, DateOnly? LastDay);
