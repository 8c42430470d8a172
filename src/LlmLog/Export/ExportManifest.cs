using System.Globalization;
using System.Text.Json;

namespace LlmLog.Export;

/// <summary>An ingest run behind an export's rows.</summary>
public sealed record RunBehind(long RunId, string FilePath, string? FileSha256, string Status, DateTime? FinishedAt);

/// <summary>
/// <c>NAME.manifest.json</c>: what was exported (table, filters, rows, days), from what (ingest runs, price tables),
/// by what (tool version, time), and the SHA-256 of every file written, so a loader can check it got them whole.
/// </summary>
public static class ExportManifest
{
    // Relaxed escaping keeps paths and quotes readable; the file is JSON for tools, not HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The manifest's name of a format, as a later export into the same tree compares it.</summary>
    public static string FormatName(ExportFormat format) => format == ExportFormat.Parquet ? "parquet" : "csv";

    public static string Build(
        ExportRequest request,
        TimeZoneInfo zone,
        string database,
        ExportResult result,
        IReadOnlyList<RunBehind> runs,
        IReadOnlyList<Transform.PriceTableUsed> priceTablesUsed,
        Transform.PriceTableInfo? priceTableInForce,
        IReadOnlyList<ExportColumn> columns,
        string manifestFolder,
        IReadOnlyList<(string Path, string Bytes)> filesToHash)
    {
        var document = new Dictionary<string, object?>
        {
            ["table"] = request.Table.Name,
            ["warehouse_table"] = request.Table.WarehouseTable,
            ["format"] = FormatName(request.Format),
            ["database"] = database,
            ["filters"] = new Dictionary<string, object?>
            {
                ["from"] = Day(request.From),
                ["to"] = Day(request.To),
                ["model"] = request.ModelFilter.Length == 0 ? null : request.ModelFilter,
                ["timezone"] = zone.Id,
            },
            ["partition_by"] = request.PartitionByDay ? "day" : null,
            ["spreadsheet_safe"] = request.SpreadsheetSafe,
            ["row_count"] = result.Rows,
            ["min_day"] = Day(result.MinDay),
            ["max_day"] = Day(result.MaxDay),
            ["columns"] = columns.Select(c => new Dictionary<string, object> { ["name"] = c.Name, ["type"] = c.BigQueryType, ["nullable"] = c.Nullable }).ToList(),
            ["csv"] = request.Format == ExportFormat.Csv
                ? new Dictionary<string, string>
                {
                    ["encoding"] = "UTF-8 without BOM",
                    ["delimiter"] = ",",
                    ["line_end"] = "\\n",
                    ["header"] = "first row",
                    ["null"] = "empty field",
                    ["empty_string"] = "\"\"",
                    ["timestamp"] = zone.Id == TimeZoneInfo.Utc.Id ? "ISO 8601 UTC, e.g. 2024-12-02T10:00:00.000000Z" : "ISO 8601 with the offset of " + zone.Id,
                    ["date"] = "YYYY-MM-DD",
                    ["boolean"] = "true/false",
                }
                : null,
            ["ingest_runs"] = runs.Select(r => new Dictionary<string, object?>
            {
                ["run_id"] = r.RunId,
                ["file_path"] = r.FilePath,
                ["file_sha256"] = r.FileSha256,
                ["status"] = r.Status,
                ["finished_at"] = r.FinishedAt is { } f ? Timestamp(f) : null,
            }).ToList(),
            ["price_table_in_force"] = priceTableInForce is null ? null : new Dictionary<string, object?>
            {
                ["sha256"] = priceTableInForce.Sha256,
                ["source_path"] = priceTableInForce.SourcePath,
            },
            ["price_tables_used"] = priceTablesUsed.Select(p => new Dictionary<string, object?>
            {
                ["sha256"] = p.Sha256,
                ["source_path"] = p.SourcePath,
                ["in_force"] = p.InForce,
                ["priced_calls"] = p.PricedCalls,
            }).ToList(),
            ["tool"] = "llmlog",
            ["tool_version"] = ToolInfo.Version,
            ["generated_at"] = Timestamp(Clock.UtcNow),
            ["files"] = filesToHash.Select(file =>
            {
                var written = result.DataFiles.FirstOrDefault(f => f.Path == file.Path);
                return new Dictionary<string, object?>
                {
                    ["path"] = Path.GetRelativePath(manifestFolder, file.Path).Replace('\\', '/'),
                    ["rows"] = written?.Rows,
                    // Read where the bytes are now: the files are staged until the export is published.
                    ["bytes"] = new FileInfo(file.Bytes).Length,
                    // A CSV was hashed as it was written; anything else is read back once here.
                    ["sha256"] = written?.Sha256 ?? FileHash.Sha256(file.Bytes),
                };
            }).ToList(),
        };
        return JsonSerializer.Serialize(document, Indented).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
