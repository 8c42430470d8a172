using System.Buffers;
using System.Text;

namespace LlmLog.Reading;

/// <summary>
/// A sliding window over a stream: the readers scan bytes in place and pin the start of the record
/// they are in, so a record never has to be copied and the file never has to fit in memory.
/// </summary>
internal sealed class ByteWindow(Stream stream, int initialSize = 1 << 20) : IDisposable
{
    /// <summary>The longest record the window holds whole.</summary>
    public const int MaxRecordBytes = 1 << 30;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    private int _length;
    private bool _eof;

    /// <summary>Index of the next unread byte.</summary>
    public int Position { get; set; }

    /// <summary>Index of the first byte that must be kept when the window slides; -1 for none.</summary>
    public int Mark { get; set; } = -1;

    /// <summary>Absolute stream offset of index 0 of the buffer.</summary>
    public long BufferStart { get; private set; }

    public long AbsolutePosition => BufferStart + Position;

    /// <summary>Whether the stream gave a byte at all.</summary>
    public bool AnyByteRead => BufferStart + _length > 0;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public byte[] Buffer => _buffer;

    /// <summary>Why the input stopped early, when it did not simply end.</summary>
    public string? ReadError { get; private set; }

    /// <summary>Ensures at least one unread byte; false at the end of input.</summary>
    public bool Ensure()
    {
        while (Position >= _length)
        {
            if (_eof || !Fill()) return false;
        }
        return true;
    }

    /// <summary>Reads more bytes, sliding or growing the window so the marked bytes survive.</summary>
    public bool Fill()
    {
        if (_eof) return false;
        var keepFrom = Mark >= 0 ? Mark : Position;
        if (keepFrom > 0)
        {
            var keep = _length - keepFrom;
            System.Buffer.BlockCopy(_buffer, keepFrom, _buffer, 0, keep);
            _length = keep;
            Position -= keepFrom;
            if (Mark >= 0) Mark -= keepFrom;
            BufferStart += keepFrom;
        }
        if (_length == _buffer.Length)
        {
            // A single record larger than the window: grow, since it must be whole to be validated. Past 1 GiB the next
            // size is more than one .NET array holds: the doubling overflowed, and a record of 1 GiB failed the run with
            // "minimumLength ('-2147483648') must be a non-negative value", exit 2 as if mistyped (found by probing).
            if (_buffer.Length > MaxRecordBytes / 2)
            {
                throw new InputFormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"holds a record longer than {MaxRecordBytes:N0} bytes (1 GiB, from byte {BufferStart:N0}), more than llmlog reads as one record; nothing of the file was loaded"));
            }
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            System.Buffer.BlockCopy(_buffer, 0, bigger, 0, _length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        int read;
        try
        {
            read = stream.Read(_buffer, _length, _buffer.Length - _length);
        }
        catch (InvalidDataException e)
        {
            // Gzip data that is damaged or cut short fails its input whole: deflate decodes wrong bytes as readily as right
            // ones until a block or the checksum at the end fails, so no record before that point can be trusted, and a
            // stream cut short has no checksum to check. Loading what came first kept a changed byte's records for good (a
            // good copy is a duplicate of each that has an id), and damage near the end reads as a cut (found by review and
            // by probing). .NET says "The archive entry was compressed using an unsupported compression method" of any
            // damaged gzip data, a wrong checksum included, which sent the user looking for another compressor.
            throw new InputFormatException(IsTruncation(e)
                ? "is gzip data cut short (a copy or download that stopped, or a file still being written), so its checksum cannot be checked and none of its records can be trusted; run again once the file is whole"
                : "is damaged gzip data (its compressed bytes or its checksum do not match what they should be), so none of its records can be trusted; get or export the file again");
        }
        catch (IOException e)
        {
            // A read that failed: what was read is what the file holds; the reader reports the rest.
            ReadError = e.Message;
            _eof = true;
            return false;
        }
        catch (DecoderFallbackException e)
        {
            // Only UTF-16 and UTF-32 inputs are decoded (InputFiles.Open); a call is never loaded with a guessed character.
            ReadError = $"the text is not valid UTF-16 or UTF-32 (bytes {Convert.ToHexString(e.BytesUnknown ?? [])} encode no character)";
            _eof = true;
            return false;
        }
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _length += read;
        return true;
    }

    /// <summary>
    /// Whether gzip data stopped early rather than being wrong, for the message alone (either fails the input): under strict
    /// validation (the project's System.IO.Compression.UseStrictValidation) .NET says "Found truncated data while decoding."
    /// of input that ends inside a stream, and another message of data or a checksum that is wrong.
    /// </summary>
    private static bool IsTruncation(InvalidDataException e) => e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
