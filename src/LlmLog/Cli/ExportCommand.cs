using System.CommandLine;
using LlmLog.Export;

namespace LlmLog.Cli;

/// <summary><c>llmlog export</c>: a warehouse table as CSV or Parquet, with schema files and a manifest beside it.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var table = new Option<string>("--table")
        {
            Description = "What to export: calls, daily (daily_llm_metrics), daily-model, hourly, rejects, runs (ingest_runs)",
            Required = true,
            HelpName = string.Join("|", ExportTable.All.Select(t => t.Name)),
        };
        table.AcceptOnlyFromAmong(ExportTable.All.Select(t => t.Name).ToArray());

        var format = new Option<string>("--format")
        {
            Description = "csv (RFC 4180, UTF-8, NULL = empty field) or parquet (typed columns); --out NAME.parquet alone means parquet",
            DefaultValueFactory = _ => "csv",
            HelpName = "csv|parquet",
        };
        format.AcceptOnlyFromAmong("csv", "parquet");

        var output = new Option<string?>("--out", "-o")
        {
            Description = "File to write (default: the warehouse table's name in this folder, .csv or .parquet: "
                + string.Join(", ", ExportTable.All.Select(t => $"{t.Name} → {t.WarehouseTable}.csv"))
                + "), a folder with --partition-by day, or - for CSV on standard output. NAME.schema.json, NAME.sql and NAME.manifest.json are written beside it",
            HelpName = "path|-",
        };
        output.NonEmptyPath("give the file (or, with --partition-by, the folder) to write, - for standard output, or leave --out out for the table's own name (./daily_llm_metrics.csv for --table daily)");

        var partitionBy = new Option<string?>("--partition-by")
        {
            Description = "day: a Hive-style tree day=YYYY-MM-DD/part-00000.EXT that Spark, BigQuery, ClickHouse and DuckDB read as one dataset",
            HelpName = "day",
        };
        partitionBy.AcceptOnlyFromAmong("day");

        var spreadsheetSafe = new Option<bool>("--spreadsheet-safe")
        {
            Description = "Prefix text cells that begin with = + - @ (or tab/CR) with an apostrophe, so Excel/Sheets never run them as formulas (changes the data: not for warehouse loads)",
        };

        var command = new Command("export", "Export a warehouse table as CSV or Parquet that BigQuery, Snowflake, ClickHouse, Spark, DuckDB or PostgreSQL load without edits, with schema files and a manifest (docs/export.md). A selection with no rows writes a header-only file and exits 0.")
        {
            table, format, output, SharedOptions.From, SharedOptions.To, SharedOptions.Model, SharedOptions.TimeZone, partitionBy, spreadsheetSafe, SharedOptions.ExportLockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        command.SetAction(parse =>
        {
            var request = new ExportRequest
            {
                Table = ExportTable.Named(parse.GetValue(table)!),
                Format = FormatFor(OutputFile.DashForStandardOutput(parse.GetValue(output)), parse.GetValue(format)!, explicitly: parse.GetResult(format) is { Implicit: false }),
                Out = OutputFile.DashForStandardOutput(parse.GetValue(output)),
                From = parse.GetValue(SharedOptions.From),
                To = parse.GetValue(SharedOptions.To),
                Model = parse.GetValue(SharedOptions.Model),
                TimeZone = parse.GetValue(SharedOptions.TimeZone) ?? "UTC",
                PartitionByDay = parse.GetValue(partitionBy) == "day",
                SpreadsheetSafe = parse.GetValue(spreadsheetSafe),
                LockTimeout = TimeSpan.FromSeconds(parse.GetValue(SharedOptions.ExportLockTimeout)),
            };
            using (var progress = ProgressLine.Enabled ? new ProgressLine() : null)
            {
                Exporter.Run(SharedOptions.Target(parse), request, progress: progress is null ? null : progress.Report);
            }
            return (int)ExitCode.Success;
        });
        return command;
    }

    // --out NAME.parquet without --format means Parquet: CSV bytes in a .parquet file fail every reader that takes it.
    // A name that says another format or a compression than the bytes is refused: readers go by the name
    // (DuckDB's read_csv said "Input is not a GZIP stream" for plain CSV in daily.csv.gz).
    internal static ExportFormat FormatFor(string? output, string format, bool explicitly)
    {
        var parquetName = output is not null && output.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        if (parquetName && explicitly && format == "csv")
        {
            throw new LlmLogException(ExitCode.Usage, $"--out {output} names a Parquet file but --format is csv; drop --format, or name the file .csv");
        }
        if (output is not null && format == "parquet" && output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new LlmLogException(ExitCode.Usage, $"--out {output} names a CSV file but --format is parquet; name the file .parquet, or drop --format");
        }
        // Comma-separated bytes in a .tsv file split into one column in every tool that goes by the name (found by
        // probing the export).
        if (output is not null && (output.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || output.EndsWith(".tab", StringComparison.OrdinalIgnoreCase)))
        {
            throw new LlmLogException(ExitCode.Usage, $"--out {output} names a tab-separated file, but llmlog writes comma-separated CSV (RFC 4180); name the file .csv");
        }
        if (output is not null) OutputFile.RefuseNonUtf8Name("--out", output);
        if (output is not null && output != "-")
        {
            if (format == "parquet" || parquetName) OutputFile.RefuseNameOfAnotherKind("--out", output, "Parquet", ".parquet");
            else OutputFile.RefuseNameOfAnotherKind("--out", output, "CSV", ".csv");
        }
        if (output is not null) OutputFile.RefuseCompressedName("--out", output, "CSV (and Parquet compresses inside the file)", "llmlog export ...");
        return format == "parquet" || parquetName ? ExportFormat.Parquet : ExportFormat.Csv;
    }
}
