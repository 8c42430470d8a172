namespace LlmLog.Reading;

/// <summary>One record's bytes as they stood in the input, with where they stood.</summary>
/// <param name="Number">1-based position of the record in its file.</param>
/// <param name="ByteOffset">Offset of the record's first byte in the (decompressed) input.</param>
/// <param name="Line">1-based line the record starts on.</param>
/// <param name="Utf8">The record's original text. Only valid until the reader moves on.</param>
/// <param name="SyntaxError">Set when the bytes are not a complete JSON value; the record is then rejected.</param>
/// <param name="EndsInput">True when a syntax error made the rest of the input unreadable.</param>
public readonly record struct RawRecord(
    long Number,
    long ByteOffset,
    long Line,
    ReadOnlyMemory<byte> Utf8,
    string? SyntaxError = null,
    bool EndsInput = false);
