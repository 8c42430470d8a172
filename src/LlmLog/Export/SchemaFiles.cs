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
        // A line break in the name ended the comment, and what followed it in an --out name ran as SQL under psql -f (found
        // by probing the export); the CREATE TABLE below keeps it, inside its quotes. The CSV is UTF-8 whatever psql's
        // client encoding: under LATIN1 every non-ASCII text loaded garbled without an error (found by the same probe).
        text.Append("-- Load the CSV with: \\copy ").Append(WithoutLineBreaks(QuoteIdentifier(tableName))).Append(" FROM 'FILE.csv' WITH (").Append(PsqlCopyOptions).Append(")  (docs/export.md)\n");
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

    /// <summary>The options of the documented psql <c>\copy</c> of an export's CSV.</summary>
    public const string PsqlCopyOptions = "FORMAT csv, HEADER true, ENCODING 'UTF8'";

    // Every character that ends a line for PostgreSQL's lexer or psql, or starts one for a reader, as U+FFFD.
    private static string WithoutLineBreaks(string text) =>
        string.Create(text.Length, text, (span, t) =>
        {
            for (var i = 0; i < t.Length; i++) span[i] = char.IsControl(t[i]) || t[i] is '\u2028' or '\u2029' ? '\uFFFD' : t[i];
        });

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
