namespace LlmLog.Export;

/// <summary>
/// A block of CSV rows already spelled out as text, on their way from the thread that reads the database to
/// the thread that writes the file. The cells lie back to back in one reused char buffer rather than as
/// strings, so rows waiting in the queue are no garbage for the collector to copy from generation to generation.
/// </summary>
internal sealed class CsvRowBatch
{
    // A row starts while the text is under budget and may end past it: room for that, so that ordinary rows
    // never make the buffer grow (only a huge value does).
    private const int RowSlack = 1 << 14;

    private readonly int _width;
    private readonly int _charBudget;
    private readonly DateOnly?[] _days;
    // Per cell, the offset in _chars where it ends; a NULL cell stores the complement (~end), so it stays
    // distinct from an empty string.
    private readonly int[] _ends;
    private char[] _chars;
    private int _length;
    private int _cells;

    /// <param name="width">Cells per row.</param>
    /// <param name="rowCapacity">Rows at most.</param>
    /// <param name="charBudget">Characters after which the batch counts as full; one longer row still fits.</param>
    public CsvRowBatch(int width, int rowCapacity, int charBudget)
    {
        _width = width;
        _charBudget = charBudget;
        _days = new DateOnly?[rowCapacity];
        _ends = new int[width * rowCapacity];
        _chars = new char[charBudget + RowSlack];
    }

    public int Rows { get; private set; }

    public int Width => _width;

    /// <summary>No room for another row: the row capacity is used, or the text has reached its budget.</summary>
    public bool IsFull => Rows == _days.Length || _length >= _charBudget;

    /// <summary>Begins the next row; its cells follow with <see cref="AddNull"/>, <see cref="Add"/> or <see cref="Reserve"/>/<see cref="EndCell"/>.</summary>
    public void StartRow(DateOnly? day)
    {
        _days[Rows] = day;
    }

    public void EndRow()
    {
        if (_cells != (Rows + 1) * _width) throw new InvalidOperationException($"a CSV row needs {_width} cells; it got {_cells - Rows * _width}");
        Rows++;
    }

    public void AddNull() => _ends[_cells++] = ~_length;

    public void Add(ReadOnlySpan<char> text)
    {
        text.CopyTo(Reserve(text.Length));
        EndCell(text.Length);
    }

    /// <summary>Room for at least <paramref name="length"/> characters at the end of the current cell.</summary>
    public Span<char> Reserve(int length)
    {
        if (_chars.Length - _length < length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + length));
        return _chars.AsSpan(_length);
    }

    /// <summary>Ends the current cell after <paramref name="written"/> more characters put into <see cref="Reserve"/>'s span.</summary>
    public void EndCell(int written)
    {
        _length += written;
        _ends[_cells++] = _length;
    }

    public DateOnly? Day(int row) => _days[row];

    /// <summary>The text of a cell; false when it is NULL.</summary>
    public bool TryGetCell(int row, int column, out ReadOnlySpan<char> text)
    {
        var cell = row * _width + column;
        var end = _ends[cell];
        var previous = cell == 0 ? 0 : _ends[cell - 1];
        var start = previous < 0 ? ~previous : previous;
        if (end < 0)
        {
            text = default;
            return false;
        }
        text = _chars.AsSpan(start, end - start);
        return true;
    }

    public void Clear()
    {
        Rows = 0;
        _cells = 0;
        _length = 0;
        // One huge value (a rejected record's raw text) must not keep a huge buffer alive for the rest of the export.
        if (_chars.Length > 4 * _charBudget) _chars = new char[_charBudget + RowSlack];
    }
}
