using System.Data.Common;
using System.Globalization;
using System.Text;

namespace LlmLog.Export;

/// <summary>
/// A data file the export finished, with its rows and, when it was hashed while written, its SHA-256. Until the
/// export is published its bytes are at <see cref="StagedPath"/>.
/// </summary>
public sealed record WrittenFile(string Path, long Rows, string? Sha256 = null, string? StagedPath = null);

/// <summary>
/// Where the rows of one export land: one file, standard output, or a Hive-style tree
/// <c>day=YYYY-MM-DD/part-00000.ext</c> whose files leave the day column out (the path carries it).
/// Files are written under a hidden staging name (<c>.NAME.TOKEN.partial</c>, which Spark, Hive and globs skip) and
/// renamed into place by <see cref="Publish"/> only once the whole export is written, so a reader never sees half a
/// file, an export stopped midway leaves the previous files whole, and two exports to one name never share a
/// staging file (beside a symbolic link's target, so the link is kept).
/// CSV rows are spelled out on the calling thread and written to the file on a thread of their own.
/// </summary>
public sealed class ExportOutput : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // CSV rows travel to the writing thread in batches of at most this many rows or characters; with this many
    // batches in flight the writer can fall ~16,000 rows behind, enough to keep it busy while PostgreSQL sorts
    // the next day, and the queue holds a few MB whatever the size of the export.
    private const int CsvBatchRows = 1024;
    private const int CsvBatchChars = 1 << 18;
    private const int CsvBatches = 16;
    private const int WriteBufferBytes = 1 << 16;

    private readonly ExportFormat _format;
    private readonly IReadOnlyList<ExportColumnSlot> _slots;
    private readonly CsvCells _cells;
    private readonly string? _singlePath;
    private readonly string? _partitionRoot;
    private readonly Stream? _stdout;
    private readonly bool _ownsStream;
    private readonly List<WrittenFile> _files = [];
    private readonly List<(string Staged, string Target)> _staged = [];
    private readonly string _token = Guid.NewGuid().ToString("N")[..12];
    private readonly List<string> _createdFolders = [];
    private ParquetColumnBuffers? _parquetBuffers;
    private IRowSink? _sink;
    private HashingWriteStream? _sinkHash;
    private CsvBatchPipe? _pipe;
    private CsvRowBatch? _batch;
    private string? _sinkPath;
    private string? _sinkFile;
    private DateOnly? _sinkDay;
    private long _sinkRows;

    private ExportOutput(ExportFormat format, IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, string? singlePath, string? partitionRoot, Stream? stdout, bool ownsStream = false)
    {
        _ownsStream = ownsStream;
        _format = format;
        _slots = slots;
        _cells = cells;
        _singlePath = singlePath;
        _partitionRoot = partitionRoot;
        _stdout = stdout;
    }

    /// <summary>Ends the name of every file this export stages; any other staged file is someone else's.</summary>
    public string StagingSuffix => "." + _token + ".partial";

    /// <summary>The hidden name beside <paramref name="file"/> that this export writes it under until it is published.</summary>
    public string StagedPathFor(string file) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "." + Path.GetFileName(file) + StagingSuffix);

    /// <summary>
    /// The hidden name <paramref name="file"/> is written under, listed among the <see cref="PartialFiles"/> so that an
    /// interrupted export removes it.
    /// </summary>
    public string Stage(string file)
    {
        var staged = StagedPathFor(file);
        PartialFiles.Add(staged);
        return staged;
    }

    /// <summary>Moves every finished data file from its staging name into place.</summary>
    public void Publish()
    {
        foreach (var (staged, target) in _staged) PartialFiles.MoveIntoPlace(staged, target);
        _staged.Clear();
        foreach (var folder in _createdFolders) PartialFiles.RemoveFolder(folder);
        _createdFolders.Clear();
    }

    public static ExportOutput ToFile(ExportFormat format, IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, string path) =>
        new(format, slots, cells, path, null, null);

    /// <summary>CSV into <paramref name="stream"/> (standard output, a pipe or a device); closed at the end only when <paramref name="ownsStream"/>.</summary>
    public static ExportOutput ToStream(IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, Stream stream, bool ownsStream = false) =>
        new(ExportFormat.Csv, slots, cells, null, null, stream, ownsStream);

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
        // An empty selection still gives the tree its folder, and the schema files and manifest the folder they go in:
        // a nightly export on a quiet day into a new lake/ failed with exit 3 (found by probing the docs).
        else MakeFolder(Path.GetFullPath(_partitionRoot));
    }

    public void Write(DbDataReader row, DateOnly? day)
    {
        if (_format == ExportFormat.Parquet)
        {
            ((ParquetRowSink)SinkFor(day)).Write(row);
            _sinkRows++;
            return;
        }
        _pipe ??= new CsvBatchPipe(CsvBatches, () => new CsvRowBatch(_slots.Count, CsvBatchRows, CsvBatchChars), WriteBatch);
        _batch ??= _pipe.Take();
        _batch.StartRow(day);
        foreach (var slot in _slots) _cells.Add(row, slot, _batch);
        _batch.EndRow();
        if (_batch.IsFull)
        {
            _pipe.Send(_batch);
            _batch = null;
        }
    }

    /// <summary>Finishes every file; returns them in the order written.</summary>
    public IReadOnlyList<WrittenFile> Complete()
    {
        if (_pipe is not null)
        {
            if (_batch is { Rows: > 0 }) _pipe.Send(_batch);
            _batch = null;
            _pipe.Complete();
        }
        CloseCurrent();
        return _files;
    }

    public void Dispose()
    {
        try
        {
            // The writing thread must have stopped before its file is closed and deleted.
            _pipe?.Dispose();
            // Closing an unfinished file writes what its writer still buffers: on a full disk that fails again, and the
            // staged file stayed behind (a hidden .NAME.TOKEN.partial of the rows that fitted, found by probing a full disk).
            _sink?.Dispose();
            if (_ownsStream) _stdout?.Dispose();
        }
        finally
        {
            // Whatever was not published is left unfinished: the previous export's files stay as they were.
            if (_sinkFile is not null) File.Delete(StagedPathFor(_sinkFile));
            foreach (var (staged, _) in _staged) File.Delete(staged);
            // The deepest first, so that a folder is empty by the time it is looked at.
            foreach (var folder in _createdFolders.OrderByDescending(f => f.Length))
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
                PartialFiles.RemoveFolder(folder);
            }
        }
    }

    // Runs on the CSV writing thread.
    private void WriteBatch(CsvRowBatch batch)
    {
        for (var row = 0; row < batch.Rows; row++)
        {
            ((CsvRowSink)SinkFor(batch.Day(row))).Write(batch, row);
            _sinkRows++;
        }
    }

    // The sink for a row of this day, moving on to the day's file in a partitioned tree. For CSV it runs on
    // the writing thread, for Parquet on the calling one.
    private IRowSink SinkFor(DateOnly? day)
    {
        if (_partitionRoot is not null && (_sink is null || _sinkDay != day))
        {
            if (day is null) throw new InvalidOperationException("a partitioned export met a row without a day");
            if (_sinkDay is { } previous && day < previous)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"rows must arrive in day order to be partitioned; {day:yyyy-MM-dd} came after {previous:yyyy-MM-dd}"));
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
        return _sink!;
    }

    private void Open(DateOnly? day)
    {
        _sinkDay = day;
        _sinkRows = 0;
        if (_stdout is not null)
        {
            _sinkPath = null;
            _sink = new CsvRowSink(new StreamWriter(_stdout, Utf8NoBom, WriteBufferBytes, leaveOpen: true), _slots);
            return;
        }
        _sinkPath = day is { } d ? Path.Combine(_partitionRoot!, PartitionFile(d, _format)) : _singlePath!;
        _sinkFile = OutputFile.Resolve(_sinkPath);
        MakeFolder(Path.GetDirectoryName(Path.GetFullPath(_sinkFile))!);
        var stream = new FileStream(Stage(_sinkFile), FileMode.Create, FileAccess.ReadWrite, FileShare.None, WriteBufferBytes);
        if (_format == ExportFormat.Parquet)
        {
            _sink = new ParquetRowSink(stream, _slots, _parquetBuffers ??= new ParquetColumnBuffers(_slots, ParquetRowSink.DefaultRowGroupSize));
            return;
        }
        // Hashed on the way to the file, so the manifest needs no second pass over hundreds of MB.
        _sinkHash = new HashingWriteStream(stream);
        _sink = new CsvRowSink(new StreamWriter(_sinkHash, Utf8NoBom, WriteBufferBytes), _slots);
    }

    // Remembers each folder it makes, the tree's own among them, so that an export that fails leaves none behind, empty.
    private void MakeFolder(string folder)
    {
        if (Directory.Exists(folder)) return;
        for (var made = folder; made is not null && !Directory.Exists(made); made = Path.GetDirectoryName(made))
        {
            _createdFolders.Add(made);
            PartialFiles.AddFolder(made);
        }
        Directory.CreateDirectory(folder);
    }

    private void CloseCurrent()
    {
        if (_sink is null) return;
        _sink.Complete();
        _sink.Dispose();
        _sink = null;
        var sha256 = _sinkHash?.Sha256Hex();
        _sinkHash = null;
        if (_sinkPath is null) return;
        var staged = StagedPathFor(_sinkFile!);
        _staged.Add((staged, _sinkFile!));
        _files.Add(new WrittenFile(_sinkPath, _sinkRows, sha256, staged));
        _sinkPath = null;
        _sinkFile = null;
    }
}
