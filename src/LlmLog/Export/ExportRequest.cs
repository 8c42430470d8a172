namespace LlmLog.Export;

/// <summary>What one <c>llmlog export</c> asks for.</summary>
public sealed record ExportRequest
{
    public required ExportTable Table { get; init; }
    public ExportFormat Format { get; init; } = ExportFormat.Csv;

    /// <summary>A file path, a folder for <see cref="PartitionByDay"/>, <c>-</c> for standard output, or null for the default name.</summary>
    public string? Out { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public string? Model { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public bool PartitionByDay { get; init; }
    public bool SpreadsheetSafe { get; init; }
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public bool ToStdout => Out == "-";

    public string ModelFilter => string.IsNullOrWhiteSpace(Model) ? "" : Model;
}

/// <summary>What an export wrote: the rows, the data files and the files beside them.</summary>
public sealed record ExportResult
{
    public required string Table { get; init; }
    public required long Rows { get; init; }
    public required IReadOnlyList<WrittenFile> DataFiles { get; init; }
    public DateOnly? MinDay { get; init; }
    public DateOnly? MaxDay { get; init; }
    public string? SchemaJsonPath { get; init; }
    public string? CreateTablePath { get; init; }
    public string? ManifestPath { get; init; }
}
