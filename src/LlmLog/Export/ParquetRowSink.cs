using System.Data.Common;
using Parquet;
using Parquet.Schema;

namespace LlmLog.Export;

/// <summary>
/// Writes rows as a Parquet file with Parquet.Net: typed columns (timestamps as UTC-adjusted microsecond timestamps,
/// dates as dates), required where the warehouse column is NOT NULL and optional elsewhere, buffered one row group at a
/// time so memory stays bounded.
/// </summary>
public sealed class ParquetRowSink : IRowSink
{
    /// <summary>Rows per row group: large enough for column statistics and scans to pay off, small enough to buffer.</summary>
    public const int DefaultRowGroupSize = 100_000;

    private readonly Stream _output;
    private readonly IReadOnlyList<ExportColumnSlot> _slots;
    private readonly DataField[] _fields;
    private readonly ParquetColumnBuffers _buffers;
    private readonly int _rowGroupSize;
    private readonly ParquetWriter _writer;
    private int _count;
    private bool _completed;

    /// <param name="output">A writable, seekable stream; disposed with the sink.</param>
    /// <param name="slots">The columns to write and where they are in each row.</param>
    /// <param name="buffers">Buffers to reuse (one set per partitioned tree), or null for a set of its own.</param>
    /// <param name="rowGroupSize">Rows per row group.</param>
    public ParquetRowSink(Stream output, IReadOnlyList<ExportColumnSlot> slots, ParquetColumnBuffers? buffers = null, int rowGroupSize = DefaultRowGroupSize)
    {
        _output = output;
        _slots = slots;
        _rowGroupSize = rowGroupSize;
        _fields = slots.Select(s => Field(s.Column)).ToArray();
        _buffers = buffers ?? new ParquetColumnBuffers(slots, rowGroupSize);
        var options = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Snappy,
            // Parquet.Net's stream pool otherwise keeps every freed buffer ("indistinguishable from a memory
            // leak" in its own words), and memory would grow with the number of row groups and files.
            MaximumSmallPoolFreeBytes = 16 << 20,
            MaximumLargePoolFreeBytes = 64 << 20,
        };
        // Parquet.Net only has an asynchronous API; a CLI has no synchronization context to deadlock on.
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), output, options).GetAwaiter().GetResult();
    }

    /// <summary>Writes the current row of <paramref name="row"/>.</summary>
    public void Write(DbDataReader row)
    {
        if (_count == _buffers.Capacity) _buffers.Grow(_count);
        for (var c = 0; c < _slots.Count; c++)
        {
            var i = _slots[c].Ordinal;
            var isNull = row.IsDBNull(i);
            switch (_buffers.Columns[c])
            {
                case string?[] s: s[_count] = isNull ? null : row.GetString(i); break;
                case long?[] l: l[_count] = isNull ? null : ExportValues.Int64(row, i); break;
                case double?[] d: d[_count] = isNull ? null : row.GetDouble(i); break;
                case bool?[] b: b[_count] = isNull ? null : row.GetBoolean(i); break;
                case DateOnly?[] day: day[_count] = isNull ? null : ExportValues.Day(row, i); break;
                case DateTime?[] t: t[_count] = isNull ? null : ExportValues.Utc(row, i); break;
                default: throw new InvalidOperationException($"no Parquet buffer for column {_slots[c].Column.Name}");
            }
        }
        if (++_count == _rowGroupSize) FlushRowGroup();
    }

    public void Complete()
    {
        if (_completed) return;
        if (_count > 0) FlushRowGroup();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _output.Flush();
        _completed = true;
    }

    public void Dispose()
    {
        try
        {
            // An unfinished file's footer is written here: on a full disk that fails, and the file must still be closed.
            if (!_completed) _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            _output.Dispose();
        }
    }

    private void FlushRowGroup()
    {
        using (var group = _writer.CreateRowGroup())
        {
            for (var c = 0; c < _fields.Length; c++)
            {
                var field = _fields[c];
                if (!field.IsNullable && _buffers.Columns[c] is not string?[])
                {
                    WriteRequired(group, field, _buffers.Columns[c], _count);
                    continue;
                }
                var task = _buffers.Columns[c] switch
                {
                    string?[] s => group.WriteAsync(field, new ArraySegment<string>(s!, 0, _count)),
                    long?[] l => group.WriteAsync(field, new ReadOnlyMemory<long?>(l, 0, _count)),
                    double?[] d => group.WriteAsync(field, new ReadOnlyMemory<double?>(d, 0, _count)),
                    bool?[] b => group.WriteAsync(field, new ReadOnlyMemory<bool?>(b, 0, _count)),
                    DateOnly?[] day => group.WriteAsync(field, new ReadOnlyMemory<DateOnly?>(day, 0, _count)),
                    DateTime?[] t => group.WriteAsync(field, new ReadOnlyMemory<DateTime?>(t, 0, _count)),
                    _ => throw new InvalidOperationException($"no Parquet buffer for column {field.Name}"),
                };
                task.GetAwaiter().GetResult();
            }
            group.CompleteValidate();
        }
        // Drop the strings of the written group now rather than when the next group overwrites them.
        _buffers.Clear(_count);
        _count = 0;
    }

    // A column that is never NULL in the warehouse is required in the file, as NAME.sql's NOT NULL says: BigQuery refused
    // to append a file of optional columns to a table made from NAME.schema.json ("changed mode from REQUIRED to
    // NULLABLE"), and readers can skip the null checks (found by probing the export's loads).
    private static DataField Field(ExportColumn column) => (column.Type, column.Nullable) switch
    {
        (ColumnType.Text, var nullable) => new DataField<string>(column.Name, nullable),
        (ColumnType.BigInt, true) => new DataField<long?>(column.Name, true),
        (ColumnType.BigInt, false) => new DataField<long>(column.Name, false),
        (ColumnType.Double, true) => new DataField<double?>(column.Name, true),
        (ColumnType.Double, false) => new DataField<double>(column.Name, false),
        (ColumnType.Boolean, true) => new DataField<bool?>(column.Name, true),
        (ColumnType.Boolean, false) => new DataField<bool>(column.Name, false),
        (ColumnType.Date, true) => new DataField<DateOnly?>(column.Name, true),
        (ColumnType.Date, false) => new DataField<DateOnly>(column.Name, false),
        (ColumnType.Timestamp, var nullable) => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, null),
    };

    /// <summary>A required column's values, from the buffer's nullable ones (the buffers are shared by all columns of a type).</summary>
    private static void WriteRequired(ParquetRowGroupWriter group, DataField field, Array values, int count)
    {
        switch (values)
        {
            case long?[] l: Write(l); break;
            case double?[] d: Write(d); break;
            case bool?[] b: Write(b); break;
            case DateOnly?[] day: Write(day); break;
            case DateTime?[] t: Write(t); break;
            default: throw new InvalidOperationException($"no Parquet buffer for column {field.Name}");
        }

        void Write<T>(T?[] nullable) where T : struct
        {
            var dense = System.Buffers.ArrayPool<T>.Shared.Rent(count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    dense[i] = nullable[i] ?? throw new InvalidOperationException($"column {field.Name} is NOT NULL in the warehouse but row {i} of a row group is NULL");
                }
                group.WriteAsync(field, new ReadOnlyMemory<T>(dense, 0, count)).GetAwaiter().GetResult();
            }
            finally
            {
                System.Buffers.ArrayPool<T>.Shared.Return(dense);
            }
        }
    }
}
