using System.Data.Common;
using System.Globalization;
using LlmLog.Transform;

namespace LlmLog.Export;

/// <summary>
/// How one database value is spelled in an exported CSV: invariant culture, round-trip doubles, <c>true</c>/<c>false</c>,
/// dates <c>YYYY-MM-DD</c>, timestamps ISO 8601 in UTC with <c>Z</c> (or in the chosen zone with its offset).
/// NULL is <c>null</c> here, so the writer can tell it from an empty string.
/// </summary>
public sealed class CsvCells(TimeZoneInfo? zone, bool spreadsheetSafe)
{
    /// <summary>Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP "CSV injection").</summary>
    public static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    private readonly TimeZoneInfo? _zone = zone is null || zone.Id == TimeZoneInfo.Utc.Id ? null : zone;

    public string? Format(DbDataReader row, ExportColumnSlot slot)
    {
        var i = slot.Ordinal;
        if (row.IsDBNull(i)) return null;
        return slot.Column.Type switch
        {
            ColumnType.Text => Text(row.GetString(i)),
            ColumnType.BigInt => ExportValues.Int64(row, i).ToString(CultureInfo.InvariantCulture),
            ColumnType.Double => row.GetDouble(i).ToString("R", CultureInfo.InvariantCulture),
            ColumnType.Boolean => row.GetBoolean(i) ? "true" : "false",
            ColumnType.Date => DbValues.Day(row.GetValue(i)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ColumnType.Timestamp => Timestamp(row.GetDateTime(i)),
            _ => throw new InvalidOperationException($"column {slot.Column.Name} has no CSV spelling for {slot.Column.Type}"),
        };
    }

    /// <summary>A UTC instant (stored without a kind) as ISO 8601: <c>Z</c> in UTC, else the zone's offset on that instant.</summary>
    public string Timestamp(DateTime utc)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        if (_zone is null) return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(utc), _zone);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
    }

    private string Text(string value) =>
        // A leading apostrophe makes a spreadsheet show the text instead of evaluating it; only text
        // columns get it, so numbers such as -0.5 stay numbers.
        spreadsheetSafe && value.Length > 0 && Array.IndexOf(FormulaStarts, value[0]) >= 0 ? "'" + value : value;
}
