using System.Data.Common;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace LlmLog.Export;

/// <summary>
/// Writes rows as RFC 4180 CSV with CsvHelper: header row, comma, <c>\n</c>, quotes only where a field needs
/// them, NULL as an empty field and an empty string as <c>""</c>.
/// </summary>
public sealed class CsvRowSink : IRowSink
{
    private static readonly char[] NeedsQuotes = [',', '"', '\n', '\r'];

    private readonly CsvWriter _csv;
    private readonly IReadOnlyList<ExportColumnSlot> _slots;
    private readonly CsvCells _cells;

    /// <summary>Starts the CSV with its header row; <paramref name="output"/> must already be UTF-8 without a BOM.</summary>
    public CsvRowSink(TextWriter output, IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, bool leaveOpen = false)
    {
        _slots = slots;
        _cells = cells;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = "\n",
            Delimiter = ",",
            Quote = '"',
        };
        _csv = new CsvWriter(output, config, leaveOpen);
        foreach (var slot in slots) _csv.WriteField(slot.Column.Name, shouldQuote: false);
        _csv.NextRecord();
    }

    public void Write(DbDataReader row)
    {
        foreach (var slot in _slots)
        {
            var value = _cells.Format(row, slot);
            if (value is null) _csv.WriteField(string.Empty, shouldQuote: false);
            else _csv.WriteField(value, shouldQuote: NeedsQuoting(value));
        }
        _csv.NextRecord();
    }

    public void Complete() => _csv.Flush();

    /// <summary>
    /// Separators, quotes and line breaks need quotes by RFC 4180. An empty string needs them to stay distinct
    /// from NULL, and edge spaces or tabs because ClickHouse (and some spreadsheets) trim unquoted fields.
    /// </summary>
    public static bool NeedsQuoting(string value) =>
        value.Length == 0
        || value.IndexOfAny(NeedsQuotes) >= 0
        || value[0] is ' ' or '\t'
        || value[^1] is ' ' or '\t';

    public void Dispose() => _csv.Dispose();
}
