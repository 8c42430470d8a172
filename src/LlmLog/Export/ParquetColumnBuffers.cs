namespace LlmLog.Export;

/// <summary>
/// One typed array per column holding the rows of the row group being built. They start small and grow to the
/// row-group size only as rows arrive, and one set serves every file of a partitioned tree: allocating fresh
/// large arrays per day file fragments the large-object heap and made memory grow with the number of days.
/// </summary>
public sealed class ParquetColumnBuffers
{
    private const int InitialRows = 4096;

    private readonly int _maxRows;

    public ParquetColumnBuffers(IReadOnlyList<ExportColumnSlot> slots, int maxRows)
    {
        _maxRows = maxRows;
        Columns = slots.Select(s => Create(s.Column.Type, Math.Min(maxRows, InitialRows))).ToArray();
    }

    public Array[] Columns { get; }

    public int Capacity => Columns[0].Length;

    /// <summary>Doubles every array (up to the row-group size), keeping the first <paramref name="filled"/> rows.</summary>
    public void Grow(int filled)
    {
        var size = Math.Min(_maxRows, Capacity * 2);
        for (var c = 0; c < Columns.Length; c++)
        {
            var bigger = Array.CreateInstance(Columns[c].GetType().GetElementType()!, size);
            Array.Copy(Columns[c], bigger, filled);
            Columns[c] = bigger;
        }
    }

    /// <summary>Drops the values of a written row group, so its strings can be collected now.</summary>
    public void Clear(int filled)
    {
        foreach (var column in Columns) Array.Clear(column, 0, filled);
    }

    private static Array Create(ColumnType type, int size) => type switch
    {
        ColumnType.Text => new string?[size],
        ColumnType.BigInt => new long?[size],
        ColumnType.Double => new double?[size],
        ColumnType.Boolean => new bool?[size],
        ColumnType.Date => new DateOnly?[size],
        ColumnType.Timestamp => new DateTime?[size],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
