using Microsoft.Win32.SafeHandles;

namespace LlmLog.Reading;

/// <summary>
/// A regular file input, held open from the moment it is hashed to the end of its run: its records, the check that it
/// did not change while it was read, and the comparison with an earlier run's bytes all read the one file that was
/// hashed, whatever its name points at by then. Opened again by name for each, a log rotated while a run read it
/// (renamed, and a new file made under its name) failed as "changed while it was read", was recorded with the new
/// file's size beside the old file's hash, and no run of its new name could complete that run (found by probing ingest).
/// </summary>
public sealed class HashedFile : IDisposable
{
    private readonly string _path;
    private FileStream? _file;

    internal HashedFile(string path, FileStream? file)
    {
        _path = path;
        _file = file;
    }

    /// <summary>A file passed over as unchanged since its load (by its stamp, unread), opened only if it must be read after all.</summary>
    public static HashedFile NotYetOpened(string path) => new(path, null);

    private SafeFileHandle Handle => (_file ??= InputFiles.OpenFile(_path)).SafeFileHandle;

    /// <summary>The file's first <paramref name="hashedLength"/> bytes, from its start, as a stream that does not close the file.</summary>
    public HashedPrefix ReadPrefix(long hashedLength) => new(Handle, hashedLength);

    /// <summary>The file's size and modification time now.</summary>
    public FileStamp StampNow() => FileStamp.Of(Handle);

    /// <summary>The SHA-256 (lower-case hex) of the file's first <paramref name="count"/> bytes; null when it is shorter now or cannot be read.</summary>
    public string? Sha256OfFirst(long count) => InputFiles.Sha256OfFirst(Handle, count);

    /// <summary>
    /// The SHA-256 of the first <paramref name="count"/> bytes that the file's first <paramref name="hashedLength"/>
    /// bytes (those a run hashed and read) decompress to as gzip (every member, as a read takes them); null when the
    /// file is not gzip, they decompress to fewer bytes, or it cannot be read.
    /// </summary>
    public string? Sha256OfFirstDecompressed(long hashedLength, long count) => InputFiles.Sha256OfFirstDecompressed(Handle, hashedLength, count);

    /// <summary>Whether the file starts with the gzip magic bytes, as a read decides it.</summary>
    public bool IsGzip => InputFiles.IsGzip(Handle);

    public void Dispose() => _file?.Dispose();
}
