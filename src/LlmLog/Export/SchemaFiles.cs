using System.Text;
using System.Text.Json;

namespace LlmLog.Export;

/// <summary>
/// The schema files written beside an export: a BigQuery JSON schema (<c>NAME.schema.json</c>, for <c>bq load --schema</c>)
/// and a PostgreSQL <c>CREATE TABLE</c> (<c>NAME.sql</c>), both matching the columns and types of the data files.
/// </summary>
public static class SchemaFiles
{
    public static string BigQuery(IReadOnlyList<ExportColumn> columns)
    {
        var fields = columns.Select(c => new
        {
            name = c.Name,
            type = c.BigQueryType,
            mode = c.BigQueryMode,
            description = c.Description,
        });
        return JsonSerializer.Serialize(fields, new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>
    /// A <c>CREATE TABLE</c> of the warehouse table the export reads (<c>calls</c>, <c>daily_llm_metrics</c>, ...), whatever
    /// --out is called: a table named after the file ("for-excel", "calls-2025-02-27") gave each nightly export a table of
    /// its own, and the load recipes and the ALTER TABLE advice of docs/export.md named a table that did not exist (found
    /// by probing the docs). The CSV is UTF-8 whatever psql's client encoding: under LATIN1 every non-ASCII text loaded
    /// garbled without an error (found by probing the export). The files of a tree leave out the day, which their folders
    /// carry; the table keeps it where the warehouse has it, so that a tree and a file of one table load into the same
    /// table (a tree's table without its day lost the day of every row; found by review).
    /// </summary>
    public static string Postgres(ExportTable table, IReadOnlyList<ExportColumn> fileColumns, bool partitioned)
    {
        var columns = partitioned && table.DayColumn is { } day
            ? table.Columns.Where(c => c.Name == day || fileColumns.Any(f => f.Name == c.Name)).Select(c => fileColumns.FirstOrDefault(f => f.Name == c.Name) ?? c).ToList()
            : fileColumns;
        var text = new StringBuilder();
        text.Append("-- Columns of the llmlog export of '").Append(table.Name).Append("', written by llmlog ").Append(ToolInfo.Version).Append('\n');
        text.Append(partitioned
            ? "-- The files of the tree leave out " + table.DayColumn + ", which their folders carry (" + table.DayColumn + "=YYYY-MM-DD): load them with a reader of Hive partitions (docs/export.md)\n"
            : "-- Load the CSV with: \\copy " + table.WarehouseTable + " FROM 'FILE.csv' WITH (" + PsqlCopyOptions + ")  (docs/export.md)\n"
              // psql ends the data at a line that is exactly \. even inside a quoted value (found by probing exports).
              + "-- psql's \\copy ends the data at a line that is exactly \\. inside a value; the server reads it: COPY " + table.WarehouseTable + " FROM '/path/to/FILE.csv' WITH (" + PsqlCopyOptions + ")\n");
        text.Append("CREATE TABLE ").Append(table.WarehouseTable).Append(" (\n");
        var width = columns.Max(c => c.Name.Length);
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            text.Append("  ").Append(c.Name.PadRight(width)).Append(' ').Append(c.PostgresType);
            if (!c.Nullable) text.Append(" NOT NULL");
            text.Append(i == columns.Count - 1 ? "\n" : ",\n");
        }
        text.Append(");\n");
        return text.ToString();
    }

    /// <summary>The options of the documented psql <c>\copy</c> of an export's CSV.</summary>
    public const string PsqlCopyOptions = "FORMAT csv, HEADER true, ENCODING 'UTF8'";
}
