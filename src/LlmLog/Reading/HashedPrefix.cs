using Microsoft.Win32.SafeHandles;

namespace LlmLog.Reading;

/// <summary>
/// A file read no further than the bytes its SHA-256 was taken of, from its first byte, by position through a handle it
/// does not own: the hash and every read of the records go through the one handle the file was opened with, so that
/// they read the same file even when its name is given to another meanwhile (a log rotated, an export replaced by a
/// rename). A writer still appending to the file leaves its new bytes for the next run, which knows the file by their
/// hash; a file that is shorter now than when it was hashed was rewritten or cut while it was read, and
/// <see cref="ReadToHashedEnd"/> says so.
/// </summary>
public sealed class HashedPrefix(SafeFileHandle file, long hashedLength) : ReadOnlyStream
{
    private long _position;
    private long? _endedAt;

    /// <summary>
    /// Reads (and drops) whatever of the hashed bytes the reader left unread (a reader may stop at the end of its JSON),
    /// and throws when the file ended before them, now or while the reader read it: the bytes read are then not the
    /// bytes the hash names, even if a writer has put them back since.
    /// </summary>
    public void ReadToHashedEnd()
    {
        var buffer = new byte[1 << 16];
        while (_endedAt is null && Read(buffer, 0, buffer.Length) > 0) { }
        if (_endedAt is { } end)
        {
            throw new LlmLogException(ExitCode.InputError, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the file changed while it was read: it ended after {end:N0} bytes, where it had {hashedLength:N0} when it was hashed; a writer rewrote it, or it was replaced. Run again once it is complete"));
        }
    }

    protected override long BytesRead => _position;

    public override int Read(Span<byte> buffer)
    {
        var left = hashedLength - _position;
        if (left <= 0) return 0;
        var n = RandomAccess.Read(file, left < buffer.Length ? buffer[..(int)left] : buffer, _position);
        if (n == 0 && buffer.Length > 0) _endedAt ??= _position;
        _position += n;
        return n;
    }
}
