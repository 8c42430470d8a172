using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace LlmLog;

/// <summary>
/// Where a finished output goes when the path the user named is not a plain file: the file behind a symbolic
/// link, or straight into a pipe or device (a FIFO, <c>/dev/null</c>; see <see cref="FileKind"/>), which a rename would replace.
/// </summary>
public static partial class OutputFile
{
    /// <summary>
    /// A new hidden name beside <paramref name="target"/> (<c>.NAME.RANDOM.partial</c>) to write it under and rename into
    /// place once whole: globs and Hive readers skip it, and no two runs, nor a file of the user's, share it. A fixed
    /// <c>NAME.tmp</c> was overwritten and renamed over the report, a user's file of that name lost (found by probing).
    /// </summary>
    public static string StagingNameBeside(string target) => StagingStem(target) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".partial";

    /// <summary>
    /// The staging files of <paramref name="target"/> beside it that another run left: not written for
    /// <paramref name="idle"/>, and held open by no process (a run still writing one holds it, and the lock goes with its
    /// process). A run killed with SIGKILL, which nothing of it can clean up after, left one at each kill (found by
    /// probing DuckDB); two runs writing one name at once keep theirs.
    /// </summary>
    public static IEnumerable<string> LeftStagingFiles(string target, TimeSpan idle)
    {
        var stem = StagingStem(target);
        var folder = Path.GetDirectoryName(stem)!;
        if (!Directory.Exists(folder)) yield break;
        // The folder may hold thousands of files (a home folder, a landing folder): only names of this stem are looked at.
        foreach (var file in Directory.EnumerateFiles(folder, Path.GetFileName(stem) + "*.partial"))
        {
            // The token is 8 hexadecimal digits here, 12 in an export's (ExportOutput), which names all its files with one.
            var token = file.Length - stem.Length - ".partial".Length;
            if (token is < 8 or > 32 || !file.StartsWith(stem, StringComparison.Ordinal) || !file.EndsWith(".partial", StringComparison.Ordinal)
                || file.AsSpan(stem.Length, token).ContainsAnyExcept("0123456789abcdef")) continue;
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < idle || IsHeldOpen(file)) continue;
            yield return file;
        }
    }

    // .NET locks every file it opens (flock: shared unless FileShare.None); an exclusive lock is refused while any is held.
    private static bool IsHeldOpen(string file)
    {
        try
        {
            using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    // The folder and ".NAME." of a staging name, before its 8 random hexadecimal digits.
    private static string StagingStem(string target)
    {
        // A name may take 255 bytes; the staging name adds 18 to it, so a long name is cut (a report named with 240 bytes
        // was refused as "too long" for a name the user never gave; found by reviewing this change).
        var name = Path.GetFileName(target);
        while (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes - StagingNameBytes)
        {
            name = name[..(char.IsLowSurrogate(name[^1]) ? ^2 : ^1)];
        }
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, "." + name + ".");
    }

    private const int MaxNameBytes = 255;

    /// <summary>What the staging name adds to a file's own: ".", "." and 8 hexadecimal digits, ".partial".</summary>
    private const int StagingNameBytes = 18;

    /// <summary>
    /// Fails (exit 3) when the folder of <paramref name="target"/> takes no new file, before the work whose result would be
    /// written there: a report of a large warehouse was built for 45 s and then could not be written (found by probing).
    /// A pipe or device is written into, not beside, and is not checked. Report, export and generate all ask here, so that
    /// each says it in the same words: export and generate named the hidden staging file in .NET's "Access to the path
    /// '.c.csv.18c49fcdc505.partial' is denied." (found by probing as a non-root user).
    /// </summary>
    public static void RequireWritableFolder(string target, string named)
    {
        if (FileKind.IsPipeOrDevice(named)) return;
        try
        {
            using (new FileStream(StagingNameBeside(target), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET's message names the hidden file tried, which the user never gave: also for a folder on a read-only file
            // system, and for a symbolic link into a folder that does not exist, which a report called a usage error and an
            // export or generate "Could not find a part of the path" (found by probing this session's fixes).
            var folder = Path.GetDirectoryName(Path.GetFullPath(target))!;
            if (FolderSearch.HidingFolder(target) is { } hiding) throw Hidden(named, hiding, e);
            throw e switch
            {
                UnauthorizedAccessException => FolderTakesNoFile(named, folder, e),
                DirectoryNotFoundException => new LlmLogException(ExitCode.Usage, $"cannot write {named}: the folder {folder} does not exist", e),
                _ when e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) =>
                    new LlmLogException(ExitCode.InputError, $"cannot write {named}: the folder {folder} is on a read-only file system", e),
                _ => new LlmLogException(ExitCode.InputError, $"cannot write {named}: {Reason(e)}", e),
            };
        }
    }

    /// <summary>
    /// <see cref="RequireWritableFolder"/>, then fails (exit 3) when the file at <paramref name="target"/> (the file to be
    /// replaced, after links) is one this user may not write: <c>chmod 444</c> on a report or an export was taken as
    /// nothing, the file replaced and exit 0, where README promises exit 3 for an output file without permission (found
    /// by probing as a non-root user). Root may write any file, so as root it is replaced, as before.
    /// </summary>
    public static void RequireWritable(string target, string named)
    {
        if (FileKind.IsPipeOrDevice(named)) return;
        RequireWritableFolder(target, named);
        RequireWritableFile(target, named);
    }

    /// <summary>The part of <see cref="RequireWritable"/> that asks of the file alone, for a file beside another output.</summary>
    public static void RequireWritableFile(string target, string named)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(target) || MayWrite(target)) return;
        var mode = Convert.ToString((int)File.GetUnixFileMode(target), 8).PadLeft(4, '0');
        // "chmod u+w" is no advice for a file of another user's, which this one may not chmod (found by probing).
        var theirs = FileKind.OwnerOf(target) is var (owner, _) && owner != EffectiveUser();
        throw new LlmLogException(ExitCode.InputError, theirs
            ? $"cannot write {named}: the file is read-only for this user (mode {mode}) and belongs to another; remove it, or have its owner make it writable"
            : $"cannot write {named}: the file is read-only for this user (mode {mode}); make it writable (chmod u+w) or remove it");
    }

    private static uint EffectiveUser()
    {
        try
        {
            return GetEffectiveUser();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return uint.MaxValue;
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUser();

    /// <summary>
    /// <see cref="RequireWritableFolder"/> for an export's tree at <paramref name="root"/>: its own folder takes the day
    /// folders, the nearest folder there above it the missing ones, and the folder beside it the schema files and manifest.
    /// A tree into a folder that took no file said "Access to the path '/srv/ro/lake' is denied." (found by probing).
    /// </summary>
    public static void RequireWritableTree(string root, string named)
    {
        var tree = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        // The walk up to the nearest folder that exists passed a folder it could not see into as missing, and named the
        // folder above it as taking no file (found by probing as a non-root user).
        if (FolderSearch.HidingFolder(tree) is { } hiding) throw Hidden(named, hiding);
        // Asked of access(2), not by a file tried in it: another export of the tree would see that file for a moment,
        // and refuse the tree as holding a file of someone else's.
        if (Directory.Exists(tree) && !MayWrite(tree)) throw FolderTakesNoFile(named, tree);
        var above = Path.GetDirectoryName(tree)!;
        while (!Directory.Exists(above)) above = Path.GetDirectoryName(above)!;
        RequireWritableFolder(Path.Combine(above, Path.GetFileName(tree)), named);
    }

    /// <summary>
    /// The failure (exit 3) of an output at <paramref name="named"/> behind <paramref name="hiding"/>, a folder this user may
    /// not search (<see cref="FolderSearch"/>): a folder that is there, which "does not exist" (exit 2) or "takes no new
    /// file" misnamed.
    /// </summary>
    public static LlmLogException Hidden(string named, string hiding, Exception? inner = null) =>
        new(ExitCode.InputError, $"cannot write {named}: {FolderSearch.CannotLookInto(hiding)}; have the folder's permissions fixed, or write elsewhere", inner);

    /// <summary>
    /// Fails for an output at <paramref name="named"/> whose folder <paramref name="folder"/> cannot be found: exit 3 when a
    /// folder this user may not search hides it, else exit 2 with <paramref name="missing"/>, the usage error of a folder
    /// that is not there.
    /// </summary>
    public static LlmLogException MissingFolder(string named, string folder, string missing) =>
        FolderSearch.HidingFolder(folder) is { } hiding ? Hidden(named, hiding) : new LlmLogException(ExitCode.Usage, missing);

    /// <summary>
    /// Fails (exit 3) when this user may not write <paramref name="folder"/>, a folder inside the export's tree at
    /// <paramref name="named"/> that the export writes into. Asked of access(2), as the tree's own folder is.
    /// </summary>
    public static void RequireWritableFolderInTree(string folder, string named)
    {
        if (!MayWrite(folder)) throw FolderTakesNoFile(named, folder);
    }

    private static LlmLogException FolderTakesNoFile(string named, string folder, Exception? inner = null) =>
        new(ExitCode.InputError, $"cannot write {named}: permission denied: the folder {folder} takes no new file for this user", inner);

    // Whether this process may write (and, for a folder, enter) path, as access(2) answers it: by the mode, the ACLs
    // and a read-only mount, and always yes for root but on a read-only mount. Yes where it cannot be asked (Windows).
    private static bool MayWrite(string path)
    {
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            return Access(path, Directory.Exists(path) ? WriteOk | ExecuteOk : WriteOk) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true; // no C library to ask: the write says why, if it fails
        }
    }

    private const int WriteOk = 2;
    private const int ExecuteOk = 1;

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    /// <summary>
    /// The file to write and rename into place: a symbolic link's final target, so that the link stays a link
    /// (a dashboard linked into a web folder keeps being served); any other path as it is.
    /// </summary>
    public static string Resolve(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return path;
        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException e)
        {
            // A link that leads back to itself was an internal error (found by review).
            throw new LlmLogException(ExitCode.Usage, $"{path} is a symbolic link that leads nowhere ({e.Message}); give the file itself");
        }
    }

    /// <summary>
    /// The full path with every symbolic link along it resolved, as realpath(3) gives it, where a link may be any folder
    /// on the way; the part that does not exist yet is kept as written.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        // A link's target may hold links of its own: the path is walked again from its root after each, up to the
        // operating system's own limit of links in one path.
        for (var links = 0; links < 40; links++)
        {
            var root = Path.GetPathRoot(full)!;
            var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var resolved = root;
            var followed = false;
            for (var i = 0; i < parts.Length && !followed; i++)
            {
                var next = Path.Combine(resolved, parts[i]);
                if (new FileInfo(next).LinkTarget is { } target)
                {
                    full = Path.GetFullPath(Path.Combine(Path.GetFullPath(target, resolved), string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..])));
                    followed = true;
                }
                resolved = next;
            }
            if (!followed) return resolved;
        }
        return full;
    }

    // Names that promise a compressed file; llmlog writes none, and a reader that goes by the name fails on plain bytes
    // (DuckDB's read_csv said "Input is not a GZIP stream" for plain CSV in daily.csv.gz). The tool to pipe into, where one reads standard input.
    private static readonly (string Ending, string? Tool)[] CompressedEndings =
        [(".gz", "gzip"), (".gzip", "gzip"), (".zst", "zstd"), (".bz2", "bzip2"), (".xz", "xz"), (".lz4", "lz4"), (".zip", null), (".snappy", null)];

    /// <summary>
    /// Refuses (exit 2) an output named as a compressed file, which llmlog does not write: what to name it instead, and
    /// how to compress it through a pipe, <paramref name="pipeFrom"/> being the command that writes it to standard output.
    /// </summary>
    public static void RefuseCompressedName(string option, string path, string what, string? pipeFrom)
    {
        if (CompressedEndings.FirstOrDefault(c => path.EndsWith(c.Ending, StringComparison.OrdinalIgnoreCase)) is not ({ } ending, var tool)) return;
        var pipe = tool is not null && pipeFrom is not null ? $", or pipe it: {pipeFrom} --out - | {tool} > {path}" : "";
        throw new LlmLogException(ExitCode.Usage, $"{option} {path} names a {ending} file, but llmlog writes {what} uncompressed; name it without {ending}{pipe}");
    }

    // Names that promise a kind of file llmlog reads or writes, so that one command does not write its kind of bytes over
    // another's file: `report --out calls.csv` wrote HTML over an export's CSV, which its manifest then failed (found by
    // probing the docs, which promised a refusal).
    private static readonly (string Ending, string Kind)[] KindEndings =
    [
        (".html", "an HTML file"), (".htm", "an HTML file"), (".pdf", "a PDF"), (".csv", "a CSV file"), (".parquet", "a Parquet file"),
        (".json", "a JSON file"), (".jsonl", "a JSON Lines file"), (".ndjson", "a JSON Lines file"), (".sql", "an SQL file"),
        (".duckdb", "a database"), (".db", "a database"),
    ];

    /// <summary>
    /// Refuses (exit 2) an output whose name promises another kind of file than <paramref name="what"/>, the bytes
    /// written: a name ending in one of <paramref name="fitting"/>, or in no ending llmlog knows, is written.
    /// </summary>
    public static void RefuseNameOfAnotherKind(string option, string path, string what, params string[] fitting)
    {
        if (fitting.Any(f => path.EndsWith(f, StringComparison.OrdinalIgnoreCase))) return;
        if (KindEndings.FirstOrDefault(k => path.EndsWith(k.Ending, StringComparison.OrdinalIgnoreCase)) is not ({ } ending, { } kind)) return;
        throw new LlmLogException(ExitCode.Usage, $"{option} {path} names {kind} ({ending}), but {option} writes {what}; name it {fitting[0]}");
    }

    /// <summary>
    /// Refuses (exit 2) a name holding U+FFFD, which is what .NET makes of each byte of a name that is not valid UTF-8:
    /// a report, export or database named so was written under another name (and two such names to one file), with exit 0
    /// (found by probing). A name that truly holds U+FFFD is refused too; no tool writes one on purpose.
    /// </summary>
    public static void RefuseNonUtf8Name(string option, string path)
    {
        if (!path.Contains('\uFFFD', StringComparison.Ordinal)) return;
        throw new LlmLogException(ExitCode.Usage,
            $"{option} {path}: the name is not valid UTF-8 (each \uFFFD stands for a byte that is not), and .NET, which llmlog runs on, would write a file of another name; give a UTF-8 name");
    }

    /// <summary>
    /// Whether <paramref name="e"/> is a write past the largest file the file system (4 GiB on FAT32) or the process's
    /// file size limit (<c>ulimit -f</c>) allows: .NET throws EFBIG as this, not as an <see cref="IOException"/>.
    /// </summary>
    public static bool IsTooLarge(Exception e) => e is ArgumentOutOfRangeException { ParamName: "value" };

    /// <summary>What to say after "cannot write NAME: " when <see cref="IsTooLarge"/> holds.</summary>
    public const string TooLarge = "the file would be larger than the file system (or the process's file size limit) allows";

    /// <summary>What to say after "cannot write NAME: " when the disk is full (ENOSPC).</summary>
    public const string DiskFull = "no space left on device; free space there (or write elsewhere), then run the same command again";

    /// <summary>
    /// What to say after "cannot write NAME: " for <paramref name="e"/>, a failed write. .NET's own text names the file it
    /// wrote, which is the hidden staging name the user never gave (".calls.csv.ce387314e052.partial"), and a full disk
    /// reads "Failed to create '…' with allocation size '357461' because the disk was full" for a report (found by
    /// probing this session): the name is dropped, and a full disk says so in one way whatever the command.
    /// </summary>
    public static string Reason(Exception e) => e switch
    {
        _ when IsTooLarge(e) => TooLarge,
        IOException io when IsDiskFull(io) => DiskFull,
        _ => WithoutPath(e.Message),
    };

    // .NET gives ENOSPC's errno as the HResult of a failed write, and a failed preallocation its own sentence.
    private static bool IsDiskFull(IOException e) =>
        e.HResult == 28 || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("because the disk was full", StringComparison.OrdinalIgnoreCase);

    // .NET ends an I/O error with the file's path (" : '/tmp/.x.jsonl.token.partial'").
    private static string WithoutPath(string message)
    {
        var cut = message.LastIndexOf(" : '", StringComparison.Ordinal);
        return cut > 0 && message.EndsWith('\'') ? message[..cut] : message;
    }

    /// <summary>
    /// <c>-</c> for a name of this process's standard output (<c>/dev/stdout</c>, <c>/dev/fd/1</c>, <c>/proc/self/fd/1</c>),
    /// else <paramref name="path"/> as given. Redirected to a file (<c>--out /dev/stdout &gt; daily.csv</c>), such a name led
    /// through its links to that file, which was replaced by a rename under the shell's feet, and an export put its
    /// manifest, schema and CREATE TABLE files beside the name, in /dev (as root; as a user it failed); a file of another
    /// user's was refused with "remove it" (found by probing). Standard output is written into, as for <c>--out -</c>.
    /// </summary>
    public static string? DashForStandardOutput(string? path) =>
        path is not null && !OperatingSystem.IsWindows() && StandardOutputNames.Contains(Path.GetFullPath(path), StringComparer.Ordinal) ? "-" : path;

    private static readonly string[] StandardOutputNames =
        ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", $"/proc/{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/fd/1"];

    /// <summary>
    /// Standard output as a stream that reports a closed pipe. .NET's console stream drops EPIPE silently, so an
    /// export piped into a consumer that quit would end with exit 0 and "Exported N rows"; this one throws an
    /// <see cref="IOException"/> ("Broken pipe"), which the commands turn into exit 3.
    /// </summary>
    public static Stream OpenStandardOutput()
    {
        if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (!stream.CanSeek) return stream;
        // A file (`> out.csv`, `{ a; b; } > both`) shares its offset with the shell and whatever writes next, but a
        // FileStream writes at a position of its own (pwrite) and leaves that offset behind, so the next writer
        // overwrote this output. The console stream writes with write(2), which moves it; a file has no reader to quit.
        stream.Dispose();
        return Console.OpenStandardOutput();
    }

    /// <summary>
    /// Refuses, as a usage error, outputs that would overwrite the warehouse (its DuckDB file, write-ahead log or
    /// spill folder) or each other: one mistyped name must not replace every loaded call, or the CSV with its
    /// own schema file, while the command reports success. Paths are compared after links, as written.
    /// </summary>
    public static void RefuseClashes(IReadOnlyList<string> warehouseFiles, params (string What, string Path)[] outputs)
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var seen = new List<(string What, string Path, string Key)>();
        foreach (var (what, path) in outputs)
        {
            var key = Key(path);
            if (warehouseFiles.FirstOrDefault(f => string.Equals(Key(f), key, comparison)) is { } file)
            {
                throw new LlmLogException(ExitCode.Usage, $"{what} {path} is the warehouse's own file {file}; writing it would destroy the warehouse, so choose another name");
            }
            if (seen.FirstOrDefault(s => string.Equals(s.Key, key, comparison)) is { What: not null } other)
            {
                throw new LlmLogException(ExitCode.Usage, $"{what} {path} is the same file as {other.What} {other.Path}; one would overwrite the other, so choose another name");
            }
            seen.Add((what, path, key));
        }

        static string Key(string path) => Path.GetFullPath(Resolve(Path.GetFullPath(path)));
    }

    /// <summary>
    /// Refuses (exit 2) an output at <paramref name="target"/> (after links; <paramref name="named"/> as given) that is a
    /// DuckDB database, its write-ahead log or its spill folder, whichever database it is: <see cref="RefuseClashes"/>
    /// knows only the warehouse's own files. <paramref name="command"/> would replace the database with
    /// <paramref name="writes"/>. A database is told by its first bytes, as every DuckDB file begins: a checksum, then DUCK.
    /// Generate, export and report all ask here, so that each refuses the same files in the same words: export and report
    /// replaced the write-ahead log beside another database, or a database not named .duckdb, with exit 0, where generate
    /// refused them (found by probing).
    /// </summary>
    public static void RefuseDuckDbFiles(string option, string target, string named, string command, string writes)
    {
        // No file yet, or one that cannot be read: the write says why, if it fails. A pipe or device is no database, and
        // opening a FIFO to read its first bytes waits for a writer: a report into one never ended (found by the tests).
        static bool IsDuckDb(string path) => !FileKind.IsPipeOrDevice(path) && Warehouse.WarehouseConnection.IsDuckDbFile(path) == true;
        if (IsDuckDb(target))
        {
            throw new LlmLogException(ExitCode.Usage,
                $"{option} {named} is a DuckDB database; {command} would replace it, and every call in it, with {writes}, so choose another name (or delete the database first if it is meant to go)");
        }
        // DuckDB keeps commits it has not yet moved into the database file in DATABASE.wal: replacing that lost them,
        // and a log written where none was is what DuckDB reads as one on its next open. It has no header to tell it
        // by, so it is told by its name beside a database.
        if (target.EndsWith(".wal", StringComparison.Ordinal) && IsDuckDb(target[..^".wal".Length]))
        {
            throw new LlmLogException(ExitCode.Usage,
                $"{option} {named} is the write-ahead log of the DuckDB database {target[..^".wal".Length]}, which holds its latest changes until DuckDB moves them into the database; choose another name");
        }
        // DATABASE.tmp is the folder DuckDB spills to when a command needs more memory than its limit: a file there made
        // every such command fail (found by probing the docs).
        if (target.EndsWith(".tmp", StringComparison.Ordinal) && IsDuckDb(target[..^".tmp".Length]))
        {
            throw new LlmLogException(ExitCode.Usage,
                $"{option} {named} is where the DuckDB database {target[..^".tmp".Length]} spills to disk when a command needs more memory than its limit, and a file there would make such a command fail; choose another name");
        }
    }
}
