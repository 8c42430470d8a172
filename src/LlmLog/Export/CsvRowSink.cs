using System.Buffers;
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
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\n\r");

    private readonly CsvWriter _csv;
    private readonly int _width;
    // The last value of each column, with its quoting: most columns (model, flags, booleans, the source file)
    // repeat from row to row, and then neither a new string nor another scan for quotes is needed.
    private readonly (string? Text, bool Quote)[] _last;

    /// <summary>Starts the CSV with its header row; <paramref name="output"/> must already be UTF-8 without a BOM.</summary>
    public CsvRowSink(TextWriter output, IReadOnlyList<ExportColumnSlot> slots, bool leaveOpen = false)
    {
        _width = slots.Count;
        _last = new (string?, bool)[slots.Count];
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

    /// <summary>Writes row <paramref name="row"/> of <paramref name="batch"/>, whose cells <see cref="CsvCells"/> spelled.</summary>
    internal void Write(CsvRowBatch batch, int row)
    {
        for (var column = 0; column < _width; column++)
        {
            if (!batch.TryGetCell(row, column, out var text))
            {
                _csv.WriteField(string.Empty, shouldQuote: false);
                continue;
            }
            ref var last = ref _last[column];
            if (last.Text is null || !text.SequenceEqual(last.Text)) last = (text.Length == 0 ? string.Empty : new string(text), NeedsQuoting(text));
            _csv.WriteField(last.Text, last.Quote);
        }
        _csv.NextRecord();
    }

    public void Complete() => _csv.Flush();

    /// <summary>
    /// Separators, quotes and line breaks need quotes by RFC 4180. An empty string needs them to stay distinct
    /// from NULL, and edge spaces or tabs because ClickHouse (and some spreadsheets) trim unquoted fields.
    /// </summary>
    public static bool NeedsQuoting(ReadOnlySpan<char> value) =>
        value.Length == 0
        || value.IndexOfAny(NeedsQuotes) >= 0
        || value[0] is ' ' or '\t'
        || value[^1] is ' ' or '\t';

    public void Dispose() => _csv.Dispose();
}
