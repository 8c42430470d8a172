namespace LlmLog.Loading;

/// <summary>One row of the <c>rejects</c> table: a record that was not loaded, where it was, and why.</summary>
public sealed record RejectRow(
    string RecordId,
    long RunId,
    string SourceFile,
    long RecordNumber,
    long? LineNumber,
    long? ByteOffset,
    string? Field,
    string Reason,
    DateOnly? CreatedDay,
    string Raw);
