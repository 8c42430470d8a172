using System.Data.Common;
using System.Globalization;

namespace LlmLog.Export;

/// <summary>
/// How one database value is spelled in an exported CSV: invariant culture, round-trip doubles, <c>true</c>/<c>false</c>,
/// dates <c>YYYY-MM-DD</c>, timestamps ISO 8601 in UTC with <c>Z</c> (or in the chosen zone with its offset).
/// NULL stays NULL, so the writer can tell it from an empty string. One instance spells the rows of one export, on one thread.
/// </summary>
public sealed class CsvCells(TimeZoneInfo? zone, bool spreadsheetSafe)
{
    /// <summary>Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP "CSV injection").</summary>
    public static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    // Room for any number, date or timestamp spelled below ("-1.7976931348623157E+308" is the longest double).
    private const int MaxScalarLength = 64;

    private readonly TimeZoneInfo? _zone = zone is null || zone.Id == TimeZoneInfo.Utc.Id ? null : zone;
    private DateOnly _day;
    private string? _dayText;

    /// <summary>Spells the value at <paramref name="slot"/> of the current row as the next cell of <paramref name="batch"/>.</summary>
    internal void Add(DbDataReader row, ExportColumnSlot slot, CsvRowBatch batch)
    {
        var i = slot.Ordinal;
        if (row.IsDBNull(i))
        {
            batch.AddNull();
            return;
        }
        switch (slot.Column.Type)
        {
            case ColumnType.Text:
                AddText(row.GetString(i), batch);
                break;
            case ColumnType.BigInt:
                AddFormatted(ExportValues.Int64(row, i), default, batch);
                break;
            case ColumnType.Double:
                AddFormatted(row.GetDouble(i), "R", batch);
                break;
            case ColumnType.Boolean:
                batch.Add(row.GetBoolean(i) ? "true" : "false");
                break;
            case ColumnType.Date:
                // Rows come in day order, so the day's spelling is nearly always the one before.
                var day = ExportValues.Day(row, i);
                if (_dayText is null || day != _day) (_day, _dayText) = (day, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                batch.Add(_dayText);
                break;
            case ColumnType.Timestamp:
                var span = batch.Reserve(MaxScalarLength);
                batch.EndCell(FormatTimestamp(row.GetDateTime(i), span));
                break;
            default:
                throw new InvalidOperationException($"column {slot.Column.Name} has no CSV spelling for {slot.Column.Type}");
        }
    }

    /// <summary>A UTC instant (stored without a kind) as ISO 8601: <c>Z</c> in UTC, else the zone's offset on that instant.</summary>
    public string Timestamp(DateTime utc)
    {
        Span<char> span = stackalloc char[MaxScalarLength];
        return new string(span[..FormatTimestamp(utc, span)]);
    }

    private int FormatTimestamp(DateTime utc, Span<char> into)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        int written;
        if (_zone is null)
        {
            // "O" is yyyy-MM-ddTHH:mm:ss.fffffffZ for a UTC DateTime, and .NET spells it without parsing a
            // pattern, several times faster than the custom yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'. Dropping the
            // seventh fraction digit gives exactly the custom spelling (which truncates, too).
            if (!utc.TryFormat(into, out written, "O", CultureInfo.InvariantCulture) || written != 28)
            {
                throw new InvalidOperationException($"unexpected round-trip spelling of {utc.Ticks} ticks");
            }
            into[26] = 'Z';
            return 27;
        }
        var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(utc), _zone);
        if (!local.TryFormat(into, out written, "yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"no room to spell {local.Ticks} ticks");
        }
        return written;
    }

    private void AddText(string value, CsvRowBatch batch)
    {
        // A leading apostrophe makes a spreadsheet show the text instead of evaluating it; only text
        // columns get it, so numbers such as -0.5 stay numbers.
        if (spreadsheetSafe && value.Length > 0 && Array.IndexOf(FormulaStarts, value[0]) >= 0)
        {
            var span = batch.Reserve(value.Length + 1);
            span[0] = '\'';
            value.CopyTo(span[1..]);
            batch.EndCell(value.Length + 1);
            return;
        }
        batch.Add(value);
    }

    private static void AddFormatted<T>(T value, ReadOnlySpan<char> format, CsvRowBatch batch) where T : ISpanFormattable
    {
        if (!value.TryFormat(batch.Reserve(MaxScalarLength), out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"no room to spell {value.ToString(null, CultureInfo.InvariantCulture)}");
        }
        batch.EndCell(written);
    }
}
