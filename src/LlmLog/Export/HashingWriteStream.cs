using System.Security.Cryptography;

namespace LlmLog.Export;

/// <summary>
/// Passes every byte written on to another stream and hashes it (SHA-256) on the way, so the manifest gets a
/// data file's hash without reading the file back.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _written;
    private string? _final;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of everything written so far (and still after disposal), in lower-case hex.</summary>
    public string Sha256Hex()
    {
        if (_final is not null) return _final;
        Span<byte> hash = stackalloc byte[32];
        _hash.GetCurrentHash(hash);
        return Convert.ToHexStringLower(hash);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _final is null)
        {
            inner.Dispose();
            _final = Sha256Hex();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
