using System.Text;

namespace LlmLog.Reading;

/// <summary>
/// Tells UTF-16 and UTF-32 text from UTF-8 by its first bytes, as RFC 4627 did for JSON: by a byte-order mark, or
/// else by where the NUL bytes of the first character fall (JSON text starts with an ASCII character, and UTF-8
/// never has a NUL there).
/// </summary>
public static class UnicodeText
{
    /// <summary>The encoding of text that starts with <paramref name="prefix"/> (up to 4 bytes); null for UTF-8.</summary>
    /// <remarks>
    /// Bytes that encode no character throw <see cref="DecoderFallbackException"/> where they are met: the input is
    /// then read as far as that point, as a corrupt gzip stream is, and a call is never loaded with a guessed
    /// character (.NET's replacement fallback can also move or drop the replacement).
    /// </remarks>
    public static Encoding? WiderThanUtf8(ReadOnlySpan<byte> prefix) => prefix switch
    {
        [0x00, 0x00, 0xFE, 0xFF, ..] or [0x00, 0x00, 0x00, not 0x00, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true),
        [0xFF, 0xFE, 0x00, 0x00, ..] or [not 0x00, 0x00, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true),
        [0xFE, 0xFF, ..] or [0x00, not 0x00, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true),
        [0xFF, 0xFE, ..] or [not 0x00, 0x00, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true),
        _ => null,
    };
}
