using System.Data.Common;
using System.Globalization;
using System.Text;

namespace LlmLog.Export;

/// <summary>A data file the export finished, with its rows.</summary>
public sealed record WrittenFile(string Path, long Rows);

/// <summary>
/// Where the rows of one export land: one file, standard output, or a Hive-style tree
/// <c>day=YYYY-MM-DD/part-00000.ext</c> whose files leave the day column out (the path carries it).
/// Files are written under a <c>.partial</c> name and renamed when complete, so a reader never sees half a file.
/// </summary>
public sealed class ExportOutput : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ExportFormat _format;
    private readonly IReadOnlyList<ExportColumnSlot> _slots;
    private readonly CsvCells _cells;
    private readonly string? _singlePath;
    private readonly string? _partitionRoot;
    private readonly Stream? _stdout;
    private readonly List<WrittenFile> _files = [];
    private ParquetColumnBuffers? _parquetBuffers;
    private IRowSink? _sink;
    private string? _sinkPath;
    private DateOnly? _sinkDay;
    private long _sinkRows;

    private ExportOutput(ExportFormat format, IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, string? singlePath, string? partitionRoot, Stream? stdout)
    {
        _format = format;
        _slots = slots;
        _cells = cells;
        _singlePath = singlePath;
        _partitionRoot = partitionRoot;
        _stdout = stdout;
    }

    public IReadOnlyList<ExportColumnSlot> Slots => _slots;

    public static ExportOutput ToFile(ExportFormat format, IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, string path) =>
        new(format, slots, cells, path, null, null);

    public static ExportOutput ToStream(IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, Stream stdout) =>
        new(ExportFormat.Csv, slots, cells, null, null, stdout);

    /// <summary>A partitioned tree under <paramref name="root"/>; <paramref name="slots"/> must already leave the day out.</summary>
    public static ExportOutput ToPartitions(ExportFormat format, IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, string root) =>
        new(format, slots, cells, null, root, null);

    public static string Extension(ExportFormat format) => format == ExportFormat.Parquet ? ".parquet" : ".csv";

    /// <summary>The relative path of a day's file in a partitioned tree.</summary>
    public static string PartitionFile(DateOnly day, ExportFormat format) =>
        Path.Combine("day=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "part-00000" + Extension(format));

    /// <summary>Opens the single output up front, so an empty selection still gives a file with its header.</summary>
    public void Start()
    {
        if (_partitionRoot is null) Open(null);
    }

    public void Write(DbDataReader row, DateOnly? day)
    {
        if (_partitionRoot is not null && (_sink is null || _sinkDay != day))
        {
            if (day is null) throw new InvalidOperationException("a partitioned export met a row without a day");
            if (_sinkDay is { } previous && day < previous)
            {
                throw new InvalidOperationException($"rows must arrive in day order to be partitioned; {day:yyyy-MM-dd} came after {previous:yyyy-MM-dd}");
            }
            CloseCurrent();
            if (_format == ExportFormat.Parquet)
            {
                // Each Parquet file leaves large pooled and encoding buffers behind; without compacting them
                // once per file, memory crept up with the number of days (measured: docs/export.md).
                System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect();
            }
            Open(day);
        }
        _sink!.Write(row);
        _sinkRows++;
    }

    /// <summary>Finishes every file; returns them in the order written.</summary>
    public IReadOnlyList<WrittenFile> Complete()
    {
        CloseCurrent();
        return _files;
    }

    public void Dispose()
    {
        _sink?.Dispose();
        if (_sinkPath is not null && File.Exists(_sinkPath + ".partial")) File.Delete(_sinkPath + ".partial");
    }

    private void Open(DateOnly? day)
    {
        _sinkDay = day;
        _sinkRows = 0;
        if (_stdout is not null)
        {
            _sinkPath = null;
            _sink = new CsvRowSink(new StreamWriter(_stdout, Utf8NoBom, 1 << 16, leaveOpen: true), _slots, _cells);
            return;
        }
        _sinkPath = day is { } d ? Path.Combine(_partitionRoot!, PartitionFile(d, _format)) : _singlePath!;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_sinkPath))!);
        var stream = new FileStream(_sinkPath + ".partial", FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _sink = _format == ExportFormat.Parquet
            ? new ParquetRowSink(stream, _slots, _parquetBuffers ??= new ParquetColumnBuffers(_slots, ParquetRowSink.DefaultRowGroupSize))
            : new CsvRowSink(new StreamWriter(stream, Utf8NoBom, 1 << 16), _slots, _cells);
    }

    private void CloseCurrent()
    {
        if (_sink is null) return;
        _sink.Complete();
        _sink.Dispose();
        _sink = null;
        if (_sinkPath is null) return;
        File.Move(_sinkPath + ".partial", _sinkPath, overwrite: true);
        _files.Add(new WrittenFile(_sinkPath, _sinkRows));
        _sinkPath = null;
    }
}
