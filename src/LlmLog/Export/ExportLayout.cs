using System.Globalization;
using Serilog;

namespace LlmLog.Export;

/// <summary>
/// Where an export's files go. Data <c>DIR/NAME.csv</c> (or a tree <c>DIR/NAME/day=.../part-00000.ext</c>) gets
/// <c>NAME.schema.json</c>, <c>NAME.sql</c> and <c>NAME.manifest.json</c> beside it; <c>NAME</c> is also the table
/// name in the <c>CREATE TABLE</c>.
/// </summary>
public sealed class ExportLayout
{
    private ExportLayout(string dataPath, string stem, string folder, bool toStdout, bool partitioned, bool toPipeOrDevice = false)
    {
        DataPath = dataPath;
        Stem = stem;
        ToStdout = toStdout;
        ToPipeOrDevice = toPipeOrDevice;
        Partitioned = partitioned;
        SchemaJsonPath = Path.Combine(folder, stem + ".schema.json");
        CreateTablePath = Path.Combine(folder, stem + ".sql");
        ManifestPath = Path.Combine(folder, stem + ".manifest.json");
    }

    public string DataPath { get; }
    public string Stem { get; }
    public bool ToStdout { get; }

    /// <summary>
    /// <see cref="DataPath"/> is a FIFO or a device (/dev/null): written into like standard output, with no files
    /// beside it, since writing beside it and renaming would replace it.
    /// </summary>
    public bool ToPipeOrDevice { get; }

    /// <summary>The rows go to a stream rather than a file of their own: no schema files or manifest.</summary>
    public bool ToStream => ToStdout || ToPipeOrDevice;
    public bool Partitioned { get; }
    public string SchemaJsonPath { get; }
    public string CreateTablePath { get; }
    public string ManifestPath { get; }

    /// <summary>The days a partitioned export replaces in an existing tree: its --from/--to, or every day.</summary>
    private (DateOnly? From, DateOnly? To) ReplacedDays { get; init; }

    /// <summary>Every file the export writes, named for a message (none of its own beside a stream).</summary>
    public (string What, string Path)[] Outputs => ToStream ? [] :
    [
        (Partitioned ? "--out folder" : "--out", DataPath),
        ("the BigQuery schema file", SchemaJsonPath),
        ("the CREATE TABLE file", CreateTablePath),
        ("the manifest", ManifestPath),
    ];

    public static ExportLayout For(ExportRequest request)
    {
        var extension = ExportOutput.Extension(request.Format);
        if (request.ToStdout) return new ExportLayout("-", request.Table.WarehouseTable, ".", toStdout: true, partitioned: false);
        if (request.PartitionByDay)
        {
            var root = Path.TrimEndingDirectorySeparator(request.Out ?? request.Table.WarehouseTable);
            CheckPartitionRoot(root);
            var parent = Path.GetDirectoryName(Path.GetFullPath(root))!;
            return new ExportLayout(root, Path.GetFileName(Path.GetFullPath(root)), parent, toStdout: false, partitioned: true)
            {
                ReplacedDays = (request.From, request.To),
            };
        }
        var path = request.Out ?? request.Table.WarehouseTable + extension;
        if (Directory.Exists(path))
        {
            throw new LlmLogException(ExitCode.Usage, $"--out {path} is a folder; give a file name such as {Path.Combine(path, request.Table.WarehouseTable + extension)} (a folder is for --partition-by day)");
        }
        if (FileKind.IsPipeOrDevice(path))
        {
            if (request.Format != ExportFormat.Csv)
            {
                throw new LlmLogException(ExitCode.Usage, $"--out {path} is a pipe or a device, which takes CSV only; give a file path for Parquet");
            }
            return new ExportLayout(path, request.Table.WarehouseTable, ".", toStdout: false, partitioned: false, toPipeOrDevice: true);
        }
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw OutputFile.MissingFolder(path, folder, $"--out {path}: the folder {folder} does not exist");
        }
        var name = Path.GetFileName(full);
        var stem = name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) ? name[..^extension.Length] : Path.GetFileNameWithoutExtension(name);
        return new ExportLayout(path, stem, folder, toStdout: false, partitioned: false);
    }

    public ExportOutput Open(ExportFormat format, IReadOnlyList<ExportColumnSlot> slots, CsvCells cells, Stream? standardOutput)
    {
        if (ToStdout) return ExportOutput.ToStream(slots, cells, standardOutput ?? OutputFile.OpenStandardOutput());
        if (ToPipeOrDevice) return ExportOutput.ToStream(slots, cells, new FileStream(DataPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite), ownsStream: true);
        if (Partitioned) return ExportOutput.ToPartitions(format, slots, cells, DataPath);
        return ExportOutput.ToFile(format, slots, cells, DataPath);
    }

    // Re-exporting into the same folder must not leave yesterday's partitions mixed into today's dataset, but
    // llmlog only ever deletes what looks like its own tree: day=* folders of part-* files.
    private static void CheckPartitionRoot(string root)
    {
        if (File.Exists(root)) throw new LlmLogException(ExitCode.Usage, $"--out {root} is a file; --partition-by day writes a folder");
        if (!Directory.Exists(root)) return;
        var foreign = Directory.EnumerateFileSystemEntries(root).FirstOrDefault(e =>
            !(Directory.Exists(e) && Path.GetFileName(e).StartsWith("day=", StringComparison.Ordinal)
              && Directory.EnumerateFileSystemEntries(e).All(f => Path.GetFileName(f) is var name
                  && (name.StartsWith("part-", StringComparison.Ordinal) || (name.StartsWith(".part-", StringComparison.Ordinal) && name.EndsWith(".partial", StringComparison.Ordinal))))));
        if (foreign is not null)
        {
            // A day folder of llmlog's tree (its manifest says so) holding a file of another's is named by that file:
            // "lake/x/day=…, which is not an llmlog partition" misdescribed the folder (found by re-probing). A Hive
            // folder of another tool's is not called llmlog's (found by review).
            var ours = ExportTrees.Text(ExportTrees.Manifest(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + ".manifest.json")?["partition_by"]) == "day";
            var stray = ours && Directory.Exists(foreign) && Path.GetFileName(foreign).StartsWith("day=", StringComparison.Ordinal)
                ? Directory.EnumerateFileSystemEntries(foreign).FirstOrDefault(f => !Path.GetFileName(f).StartsWith("part-", StringComparison.Ordinal)
                    && !(Path.GetFileName(f).StartsWith(".part-", StringComparison.Ordinal) && f.EndsWith(".partial", StringComparison.Ordinal)))
                : null;
            throw new LlmLogException(ExitCode.Usage, stray is not null
                ? $"--out {root} is an llmlog tree, but its folder {foreign} also holds {stray}, which llmlog did not write; move it out of the tree, or choose an empty or new folder"
                : $"--out {root} already holds {foreign}, which is not an llmlog partition; choose an empty or new folder");
        }
    }

    /// <summary>
    /// In a partitioned tree, removes the previous files of the days this export replaces — its --from/--to, or every
    /// day — sparing the files it staged (named with <paramref name="stagingSuffix"/>) and those they are renamed over;
    /// every other day is kept, so a daily <c>--from D --to D</c> export adds or refreshes day D. Called once the new
    /// files are complete: the old days used to go first, and an export stopped midway lost them (found by probing ops).
    /// </summary>
    public void ClearReplacedDays(string stagingSuffix)
    {
        if (!Partitioned || !Directory.Exists(DataPath)) return;
        var kept = 0;
        foreach (var folder in Directory.EnumerateDirectories(DataPath, "day=*"))
        {
            if (!IsReplaced(folder))
            {
                kept++;
                continue;
            }
            var ours = 0;
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (file.EndsWith(stagingSuffix, StringComparison.Ordinal)) ours++;
                // A file this export replaces is left for its new one to be renamed over, which keeps its mode and owners
                // (PartialFiles.MoveIntoPlace): deleted first, it came back with the job's umask and its own user and group,
                // where a single file keeps them (left open by the twenty-third session).
                else if (!File.Exists(Path.Combine(folder, "." + Path.GetFileName(file) + stagingSuffix))) File.Delete(file);
            }
            if (ours == 0) Directory.Delete(folder);
        }
        if (kept > 0) Log.Information("Kept {Folders} day " + Counting.Noun(kept, "folder") + " of {Root} outside --from/--to", kept, DataPath);
    }

    /// <summary>
    /// Fails (exit 3), before the work, when a day folder this export replaces, or a file in it, is one this user may not
    /// write: a read-only day folder failed the finished export with .NET's "Access to the path
    /// '…/day=…/.part-00000.csv.TOKEN.partial' is denied.", and a read-only part was replaced where a read-only single file
    /// is refused (left open by the twenty-third session).
    /// </summary>
    public void RequireWritableDays()
    {
        if (!Partitioned || !Directory.Exists(DataPath)) return;
        foreach (var folder in Directory.EnumerateDirectories(DataPath, "day=*").Where(IsReplaced))
        {
            OutputFile.RequireWritableFolderInTree(Path.GetFullPath(folder), DataPath);
            foreach (var file in Directory.EnumerateFiles(folder, "part-*")) OutputFile.RequireWritableFile(file, file);
        }
    }

    // Whether the day folder at path is one this export replaces: in --from/--to, or any when the export has neither.
    private bool IsReplaced(string folder)
    {
        var (from, to) = ReplacedDays;
        return !DateOnly.TryParseExact(Path.GetFileName(folder)["day=".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? from is null && to is null
            : (from is null || day >= from) && (to is null || day <= to);
    }
}
