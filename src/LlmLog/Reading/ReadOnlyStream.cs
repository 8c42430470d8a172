namespace LlmLog.Reading;

/// <summary>
/// A stream read once from start to end over another, which it closes: the members a reader never calls, in one
/// place. A subclass reads into a span and counts its <see cref="Stream.Position"/>.
/// </summary>
public abstract class ReadOnlyStream(Stream inner) : Stream
{
    /// <summary>For a stream that reads from something other than a stream (<see cref="HashedPrefix"/>: a file handle).</summary>
    protected ReadOnlyStream() : this(Null)
    {
    }

    /// <summary>The stream read from, closed with this one.</summary>
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    /// <summary>How many bytes this stream has given its reader.</summary>
    protected abstract long BytesRead { get; }

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
