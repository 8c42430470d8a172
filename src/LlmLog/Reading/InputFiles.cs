using System.IO.Compression;
using System.IO.Enumeration;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace LlmLog.Reading;

/// <summary>One input named on the command line: a file, or standard input (<c>-</c>).</summary>
public sealed record InputSource(string Path)
{
    public const string StandardInput = "-";

    /// <summary>Set for a folder that could not be listed: why, naming it. The input then fails as an unreadable file does.</summary>
    public string? Unreadable { get; init; }

    public bool IsStandardInput => Path == StandardInput;

    /// <summary>Standard input's <see cref="DisplayName"/>.</summary>
    public const string StandardInputName = "<stdin>";

    /// <summary>The name shown in logs and stored in the warehouse.</summary>
    public string DisplayName => IsStandardInput ? StandardInputName : Path;
}

/// <summary>What a named input turned out to be before its records are read: a file's size and SHA-256, or a stream to read once.</summary>
/// <param name="SizeBytes">The file's size; null for a pipe.</param>
/// <param name="Sha256">The file's SHA-256 (lower-case hex); null for a pipe, whose bytes can be read only once.</param>
/// <param name="ReadOnce">A pipe, FIFO or terminal, already open, that must be read from here and only once; null for a regular file.</param>
public sealed record FileIdentity(long? SizeBytes, string? Sha256, Stream? ReadOnce)
{
    /// <summary>The file's size and modification time as they were before it was hashed; null for a pipe.</summary>
    public FileStamp? Stamp { get; init; }

    /// <summary>The regular file hashed, still open, for its records to be read from; the reader of them closes it. Null for a pipe.</summary>
    public HashedFile? File { get; init; }
}

/// <summary>A file's size and modification time, read in one stat: when either moves, its bytes may have.</summary>
public readonly record struct FileStamp(long Length, DateTime Modified)
{
    /// <summary>The stamp of the file at <paramref name="path"/> now; null when there is none.</summary>
    public static FileStamp? Of(string path)
    {
        // Exists, Length and LastWriteTimeUtc read one stat, so a file that goes meanwhile cannot throw here.
        var info = new FileInfo(path);
        // A symbolic link is stamped by the file it leads to, as its open handle is: stamped by the link itself, a linked
        // input never matched the stamp its load recorded, and every run read it whole again to hash it (found by review).
        if (info.LinkTarget is not null)
        {
            try
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            }
            catch (IOException)
            {
                return null; // a loop of links: opening it fails with its own message
            }
        }
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
    }

    /// <summary>The stamp of the open file <paramref name="file"/> now, whatever name it has by then.</summary>
    public static FileStamp Of(SafeFileHandle file) => new(RandomAccess.GetLength(file), File.GetLastWriteTimeUtc(file));
}

/// <summary>Turns command-line paths into inputs and opens them, decompressing gzip when the bytes say so.</summary>
public static partial class InputFiles
{
    private static readonly string[] LogExtensions = [".json", ".jsonl", ".ndjson", ".gz"];

    /// <summary>What a folder's walk looks for, in the words of its messages.</summary>
    internal const string LogFilesLookedFor = "*.json, *.jsonl, *.ndjson and *.gz, and logs rotated without compression such as *.jsonl.1";

    // A log rotated without compression keeps its extension before the rotation's suffix: app.jsonl.1 (logrotate's
    // default), app.jsonl-20261207 (dateext), app.jsonl.2026-12-07 (Python's TimedRotatingFileHandler). A folder's walk
    // passed them over, so the lines written between a scheduled run and the rotation were never loaded (found by
    // probing with logrotate). A suffix of letters (.bak, .tmp, .swp) is not a rotation.
    [GeneratedRegex(@"\.(json|jsonl|ndjson)([._-][0-9][0-9_-]*)+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RotatedLogName();

    /// <summary>Whether a folder's walk takes the file named <paramref name="name"/> for a log.</summary>
    internal static bool IsLogFileName(string name) =>
        LogExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || RotatedLogName().IsMatch(name);

    /// <summary>
    /// Whether <paramref name="rotatedName"/> may be the log <paramref name="logName"/> rotated and compressed: it starts
    /// with the log's name (app.jsonl.1.gz, app.jsonl-20261207.gz), or with its name before the extension, a separator,
    /// and ends with the extension and .gz (logrotate's <c>extension .jsonl</c>: app.1.jsonl.gz).
    /// </summary>
    internal static bool MayBeRotatedFrom(string rotatedName, string logName)
    {
        if (rotatedName.StartsWith(logName, StringComparison.Ordinal)) return true;
        var extension = System.IO.Path.GetExtension(logName);
        var stem = System.IO.Path.GetFileNameWithoutExtension(logName);
        return extension.Length > 0 && rotatedName.Length > logName.Length + 3
            && rotatedName.StartsWith(stem, StringComparison.Ordinal) && rotatedName[stem.Length] is '.' or '-' or '_'
            && rotatedName.EndsWith(extension + ".gz", StringComparison.Ordinal);
    }

    // One folder at a time: Walk does the recursion, to walk each folder once. Hidden (dot) files and folders are skipped.
    private static readonly EnumerationOptions OneFolder = new() { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden };

    /// <summary>
    /// Files stay as given; a directory contributes every log file below it in name order; <c>-</c> is
    /// standard input. A path that does not exist is an error before anything is read. Each file is listed
    /// once, however many names lead to it, and each folder is walked once (see <see cref="Walk"/>).
    /// </summary>
    public static IReadOnlyList<InputSource> Expand(IEnumerable<string> paths)
    {
        var result = new List<InputSource>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var walked = new HashSet<string>(StringComparer.Ordinal);
        var given = paths.ToList();
        foreach (var path in given)
        {
            if (path == InputSource.StandardInput)
            {
                // Standard input can be read once; a second '-' would be reported as an empty input.
                if (result.Any(s => s.IsStandardInput))
                {
                    throw new LlmLogException(ExitCode.Usage, "'-' (standard input) is named more than once; it can be read only once");
                }
                result.Add(new InputSource(path));
                continue;
            }
            if (NamesStandardInput(path) && given.Contains(InputSource.StandardInput))
            {
                // '- /dev/stdin' read one pipe twice: the second read found it empty and failed the run (found by probing ingest).
                throw new LlmLogException(ExitCode.Usage, $"{path} is standard input, which '-' names too; it can be read only once, so name it once");
            }
            if (Directory.Exists(path))
            {
                var found = new List<InputSource>();
                Walk(path, found, walked);
                // Beside other inputs, a folder without a log file was passed over in silence, where alone it is exit 3
                // (found by probing ingest).
                if (found.Count == 0)
                {
                    Serilog.Log.Warning("{Folder} holds no log files (looked below it for {LookedFor}); nothing was read from it", path, LogFilesLookedFor);
                }
                foreach (var f in found.OrderBy(f => f.Path, StringComparer.Ordinal))
                {
                    if (f.Unreadable is not null || seen.Add(RealPath(f.Path))) result.Add(f);
                }
                continue;
            }
            if (!File.Exists(path) && path.StartsWith('-'))
            {
                throw new LlmLogException(ExitCode.Usage, $"unknown option {path}; see 'llmlog ingest --help'");
            }
            if (!File.Exists(path))
            {
                // A file or folder behind a folder this user may not search was "no such file or directory" (found by probing).
                throw new LlmLogException(ExitCode.InputError, PartNotUtf8(path) is { } part ? NotUtf8Message(path, part)
                    : FolderSearch.HidingFolder(path) is { } hiding ? $"{path}: {FolderSearch.CannotLookInto(hiding)}; have the folder's permissions fixed"
                    : $"{path}: no such file or directory");
            }
            // Every name of standard input is one stream, read once (realpath cannot resolve a pipe's: '/dev/stdin /dev/fd/0'
            // read it twice, the second time empty; found by probing the input shapes).
            if (seen.Add(NamesStandardInput(path) ? StandardInputKey : RealPath(path))) result.Add(new InputSource(path));
        }
        return result;
    }

    /// <summary>The names Linux and the BSDs give the process's standard input (file descriptor 0).</summary>
    private static readonly string[] StandardInputNames =
        ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0", $"/proc/{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/fd/0"];

    private const string StandardInputKey = "\0standard input";

    /// <summary>Whether <paramref name="path"/> is one of the file system's names for this process's standard input.</summary>
    internal static bool NamesStandardInput(string path) =>
        StandardInputNames.Contains(System.IO.Path.GetFullPath(path), StringComparer.Ordinal);

    /// <summary>
    /// Adds the log files below <paramref name="folder"/> to <paramref name="found"/>, following symbolic links to
    /// files and to folders, also out of the tree (an exports folder that links in a shared one). A folder whose
    /// real path was walked already — a link back up the tree, two links to one place — is not walked again:
    /// .NET's own recursion followed a loop 40 levels deep and listed every file 41 times. A folder that cannot
    /// be listed becomes an input marked <see cref="InputSource.Unreadable"/>, and the walk goes on around it.
    /// </summary>
    private static void Walk(string folder, List<InputSource> found, HashSet<string> walked)
    {
        if (!walked.Add(RealPath(folder))) return;
        List<(string Path, bool IsFolder)> entries;
        try
        {
            // In name order, so that of two names for one folder it is always the same one that is walked.
            entries = new FileSystemEnumerable<(string Path, bool IsFolder)>(folder, (ref FileSystemEntry e) => (e.ToSpecifiedFullPath(), e.IsDirectory), OneFolder)
                .OrderBy(e => e.Path, StringComparer.Ordinal)
                .ToList();
        }
        catch (UnauthorizedAccessException)
        {
            // One unreadable folder must not cost the files around it (it crashed the run with exit 1).
            found.Add(new InputSource(folder) { Unreadable = $"{folder}: permission denied; llmlog needs read access to the folder to load the log files in it" });
            return;
        }
        catch (DirectoryNotFoundException)
        {
            // A folder whose name .NET cannot use: the log files in it were skipped without a word.
            if (PartNotUtf8(folder) is { } part) found.Add(new InputSource(folder) { Unreadable = NotUtf8Message(folder, part) });
            return; // else removed since its parent was listed: there is nothing left in it to load
        }
        catch (IOException e)
        {
            found.Add(new InputSource(folder) { Unreadable = $"{folder}: the folder cannot be listed: {e.Message}" });
            return;
        }
        foreach (var (entry, isFolder) in entries)
        {
            if (isFolder) Walk(entry, found, walked);
            else if (!IsLogFileName(System.IO.Path.GetFileName(entry))) continue;
            else if (FileKind.IsPipeOrDevice(entry))
            {
                // A FIFO in a landing folder blocked the run until something wrote to it, for ever from cron (found by
                // probing ingest). Named on the command line it is read, as a pipe is.
                Serilog.Log.Warning("{Path} is a named pipe or a device, not a file; it was not read. Name it on the command line to read from it", entry);
            }
            else found.Add(new InputSource(entry));
        }
    }

    /// <summary>
    /// The path with every symbolic link, <c>.</c> and <c>..</c> resolved, by realpath(3), so that two names for
    /// one file or folder compare equal; the absolute path as written where it cannot be resolved (a link to
    /// nothing, or a system without realpath).
    /// </summary>
    internal static string RealPath(string path)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            try
            {
                var resolved = RealPathNative(path, IntPtr.Zero);
                if (resolved != IntPtr.Zero)
                {
                    try
                    {
                        return Marshal.PtrToStringUTF8(resolved)!;
                    }
                    finally
                    {
                        Free(resolved);
                    }
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // No C library to ask: names are compared as written.
            }
        }
        return System.IO.Path.GetFullPath(path);
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    /// <summary>
    /// Opens an input for reading as UTF-8: transparently gunzipping when it starts with the gzip magic bytes, and
    /// converting UTF-16 or UTF-32 text (what PowerShell 5's <c>&gt;</c> writes) when its first bytes say so.
    /// <paramref name="readOnce"/>, when given, is the input's stream already open: standard input, or a
    /// named pipe from <see cref="Identify"/>; otherwise standard input or the named file is opened.
    /// </summary>
    public static Stream Open(InputSource source, Stream? readOnce = null)
    {
        var raw = readOnce ?? (source.IsStandardInput ? OpenStandardInput("'-'") : OpenFile(source.Path));
        PeekStream peek;
        try
        {
            peek = new PeekStream(raw, 4);
        }
        catch (IOException e)
        {
            // 'ingest - < folder' was an internal error, "Is a directory" (found by probing the input shapes).
            raw.Dispose();
            throw new LlmLogException(ExitCode.InputError, $"cannot be read: {e.Message}");
        }
        // A corrupt gzip stream may fail at its first bytes: that is left for the reader, which fails the input with its reason.
        var text = StartsAsGzip(peek.Prefix) ? new PeekStream(new GZipStream(peek, CompressionMode.Decompress), 4, deferReadErrors: true) : peek;
        return UnicodeText.WiderThanUtf8(text.Prefix) is { } encoding
            ? Encoding.CreateTranscodingStream(text, encoding, Encoding.UTF8)
            : text;
    }

    /// <summary>
    /// Standard input, for <paramref name="namedBy"/> (<c>'-'</c>, <c>--prices -</c>). Started with it closed (<c>&lt;&amp;-</c>),
    /// the process finds in its place a pipe the .NET runtime opened for itself and waited on it for ever (found by
    /// probing scheduled runs): on Linux that is told by the pipe's writing end, which the process itself holds, and refused.
    /// </summary>
    public static Stream OpenStandardInput(string namedBy)
    {
        if (StandardInputIsTheRuntimes()) throw StandardInputClosed($"{namedBy} reads standard input");
        return Console.OpenStandardInput();
    }

    private static LlmLogException StandardInputClosed(string what) => new(ExitCode.InputError,
        $"{what}, but the command was started with standard input closed; pipe it in (or < FILE), or name the file");

    private static bool StandardInputIsTheRuntimes()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            if (new FileInfo("/proc/self/fd/0").LinkTarget is not { } pipe || !pipe.StartsWith("pipe:", StringComparison.Ordinal)) return false;
            // The runtime keeps copies of a real standard input too, but only for reading.
            return Directory.EnumerateFileSystemEntries("/proc/self/fd")
                .Any(fd => new FileInfo(fd).LinkTarget == pipe && WritesTo(Path.GetFileName(fd)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Whether descriptor fd of this process was opened to write: its access mode in /proc's flags (octal), O_WRONLY or O_RDWR.
    private static bool WritesTo(string fd) =>
        File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal)) is { } line
        && Convert.ToInt32(line["flags:".Length..].Trim(), 8) is var flags && (flags & 3) is 1 or 2;

    /// <summary>
    /// Opens a named input to learn its identity. A regular file is measured and hashed, and stays open in
    /// <see cref="FileIdentity.File"/>: its SHA-256 is how a file loaded before is recognised, and its records are read
    /// from the same open file. Anything that cannot seek — a pipe such as <c>&lt;(zcat x.gz)</c> or <c>/dev/stdin</c>, a
    /// FIFO, a terminal — can be read only once (hashing it first would leave nothing to load), so it comes back open in
    /// <see cref="FileIdentity.ReadOnce"/>, to be read like standard input, with no size or hash.
    /// </summary>
    public static FileIdentity Identify(string path, CancellationToken cancel = default)
    {
        // Named by its file name, a closed standard input is the runtime's own pipe too, and was waited on for ever.
        if (NamesStandardInput(path) && StandardInputIsTheRuntimes()) throw StandardInputClosed($"{path} is standard input");
        var stream = OpenFile(path);
        if (!stream.CanSeek) return new FileIdentity(null, null, stream);
        var file = new HashedFile(path, stream);
        try
        {
            // Taken first, so that a change made while the file is hashed or read shows when the stamp is compared after.
            var stamp = FileStamp.Of(stream.SafeFileHandle);
            // The hash covers exactly the length taken: hashed to its end, a file still being appended to was hashed over
            // more bytes than its size said, and every run of a live log failed as "changed while it was read" (found by probing).
            using var prefix = file.ReadPrefix(stamp.Length);
            return new FileIdentity(stamp.Length, Sha256Of(prefix, cancel).Hex, null) { Stamp = stamp, File = file };
        }
        catch (IOException e)
        {
            file.Dispose();
            // A read that fails while the file is hashed (a failing disk, a dropped network mount, a kernel file that refuses
            // to be read) ended the whole run as an internal error, where the same failure while its records were read
            // fails the file alone (found by probing ingest).
            throw new LlmLogException(ExitCode.InputError, $"cannot be read: {e.Message}", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The SHA-256 (lower-case hex) of what <paramref name="stream"/> holds, to its end or its first
    /// <paramref name="limit"/> bytes, and how many bytes that was; stops when cancelled.
    /// </summary>
    private static (string Hex, long Bytes) Sha256Of(Stream stream, CancellationToken cancel = default, long limit = long.MaxValue)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long bytes = 0;
        for (int read; bytes < limit && (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - bytes))) > 0; bytes += read)
        {
            cancel.ThrowIfCancellationRequested();
            sha256.AppendData(buffer, 0, read);
        }
        return (Convert.ToHexStringLower(sha256.GetHashAndReset()), bytes);
    }

    /// <summary>The SHA-256 (lower-case hex) of the first <paramref name="count"/> bytes of the open file; null when it is shorter now or cannot be read.</summary>
    public static string? Sha256OfFirst(SafeFileHandle file, long count)
    {
        try
        {
            if (RandomAccess.GetLength(file) < count) return null;
            using var prefix = new HashedPrefix(file, count);
            var (hex, bytes) = Sha256Of(prefix);
            return bytes == count ? hex : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether bytes start with gzip's magic, which makes an input gzip whatever its name.</summary>
    private static bool StartsAsGzip(ReadOnlySpan<byte> prefix) => prefix is [0x1f, 0x8b, ..];

    /// <summary>Whether the open file starts with the gzip magic bytes; false when it cannot be read.</summary>
    public static bool IsGzip(SafeFileHandle file)
    {
        Span<byte> magic = stackalloc byte[2];
        try
        {
            return RandomAccess.Read(file, magic, 0) == 2 && StartsAsGzip(magic);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The SHA-256 (lower-case hex) of the first <paramref name="count"/> bytes that the open file's first
    /// <paramref name="hashedLength"/> bytes decompress to as gzip; null when it is not gzip, they hold fewer, or it
    /// cannot be read. No further than the hashed bytes: a member appended since is not what the run loaded.
    /// </summary>
    public static string? Sha256OfFirstDecompressed(SafeFileHandle file, long hashedLength, long count)
    {
        try
        {
            if (!IsGzip(file)) return null;
            using var gzip = new GZipStream(new HashedPrefix(file, hashedLength), CompressionMode.Decompress);
            var (hex, bytes) = Sha256Of(gzip, limit: count);
            return bytes == count ? hex : null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>What to say of a file this user may not read, after its name.</summary>
    public const string NoReadAccess = "permission denied; llmlog needs read access to the file";

    /// <summary>Opens a file named on the command line to read, saying in llmlog's words why it cannot be.</summary>
    internal static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException)
        {
            throw new LlmLogException(ExitCode.InputError, $"{path}: {NoReadAccess}");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Every input was there when the run listed it (a missing path stops the command before anything is read).
            if (PartNotUtf8(path) is { } part) throw new LlmLogException(ExitCode.InputError, NotUtf8Message(path, part));
            throw new LlmLogException(ExitCode.InputError, new FileInfo(path).LinkTarget is { } target
                ? $"{path}: is a symbolic link to {target}, which does not exist"
                : $"{path}: no such file: it was removed or renamed after the run began");
        }
        catch (IOException e)
        {
            throw new LlmLogException(ExitCode.InputError, $"{path}: cannot be opened: {e.Message}");
        }
    }

    /// <summary>
    /// The part of <paramref name="path"/> (the file, or a folder on the way to it) that is listed in its folder yet
    /// cannot be found by that name because the name is not valid UTF-8; null when there is none. .NET reads each byte
    /// of a name that is not UTF-8 as U+FFFD, and then looks for a file of that other name (dotnet/runtime#102764), so
    /// such a file seemed "removed or renamed after the run began", and a file in such a folder "no such file".
    /// </summary>
    private static string? PartNotUtf8(string path)
    {
        if (!path.Contains('\uFFFD', StringComparison.Ordinal)) return null;
        try
        {
            // The first part that cannot be found is the child of the deepest folder that can.
            for (var part = System.IO.Path.GetFullPath(path); System.IO.Path.GetDirectoryName(part) is { } parent; part = parent)
            {
                if (!Directory.Exists(parent)) continue;
                var unusable = !File.Exists(part) && !Directory.Exists(part)
                    && System.IO.Path.GetFileName(part).Contains('\uFFFD', StringComparison.Ordinal)
                    && Directory.EnumerateFileSystemEntries(parent).Contains(part, StringComparer.Ordinal);
                return unusable ? part : null;
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string NotUtf8Message(string path, string part) =>
        (System.IO.Path.GetFullPath(path) == part
            ? $"{path}: cannot be opened: its name is not valid UTF-8"
            : $"{path}: cannot be opened: the name of its folder {part} is not valid UTF-8")
        + " (each \uFFFD stands for a byte that is not), and .NET, which llmlog runs on, "
        + "cannot open a file or folder by such a name; give it a UTF-8 name (convmv -f latin1 -t utf8 renames Latin-1 names)";

    /// <summary>A stream whose first bytes can be looked at before anyone reads them (standard input cannot seek).</summary>
    private sealed class PeekStream : ReadOnlyStream
    {
        private readonly byte[] _prefix;
        private int _prefixPos;
        private long _position;

        private Exception? _readError;

        public PeekStream(Stream inner, int count, bool deferReadErrors = false) : base(inner)
        {
            var buffer = new byte[count];
            var n = 0;
            try
            {
                while (n < count)
                {
                    var r = inner.Read(buffer, n, count - n);
                    if (r == 0) break;
                    n += r;
                }
            }
            catch (Exception e) when (deferReadErrors && e is InvalidDataException or IOException)
            {
                _readError = e;
            }
            _prefix = buffer[..n];
        }

        public byte[] Prefix => _prefix;

        protected override long BytesRead => _position;

        public override int Read(Span<byte> buffer)
        {
            int n;
            if (_prefixPos < _prefix.Length)
            {
                n = Math.Min(buffer.Length, _prefix.Length - _prefixPos);
                _prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
                _prefixPos += n;
            }
            else if (_readError is { } error)
            {
                _readError = null;
                throw error;
            }
            else
            {
                n = Inner.Read(buffer);
            }
            _position += n;
            return n;
        }
    }
}
