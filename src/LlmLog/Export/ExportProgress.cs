namespace LlmLog.Export;

/// <summary>How far an export has got, for a progress line: rows written, and statements (days, for calls) done of all.</summary>
public readonly record struct ExportProgress(string Table, long Rows, int PartsDone, int Parts, TimeSpan Elapsed);
