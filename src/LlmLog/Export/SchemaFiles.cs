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

    /// <summary>A <c>CREATE TABLE</c> named <paramref name="tableName"/> (quoted, so any file stem is a valid name).</summary>
    public static string Postgres(string tableName, string exportedTable, IReadOnlyList<ExportColumn> columns)
    {
        var text = new StringBuilder();
        text.Append("-- Columns of the llmlog export of '").Append(exportedTable).Append("', written by llmlog ").Append(ToolInfo.Version).Append('\n');
        text.Append("-- Load the CSV with: \\copy ").Append(QuoteIdentifier(tableName)).Append(" FROM 'FILE.csv' WITH (FORMAT csv, HEADER true)  (docs/export.md)\n");
        text.Append("CREATE TABLE ").Append(QuoteIdentifier(tableName)).Append(" (\n");
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

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
