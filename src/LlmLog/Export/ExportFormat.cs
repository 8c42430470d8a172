namespace LlmLog.Export;

/// <summary>The file formats <c>llmlog export</c> writes.</summary>
public enum ExportFormat
{
    Csv,
    Parquet,
}
