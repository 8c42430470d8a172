namespace LlmLog.Export;

/// <summary>A column to write and where its value sits in the query's row (partitioned files leave the day out).</summary>
public readonly record struct ExportColumnSlot(ExportColumn Column, int Ordinal);
