namespace LlmLog.Loading;

/// <summary>
/// One row of the <c>rejects</c> table: a record that was not loaded, where it was, and why; and
/// <paramref name="CallId"/>, the id it would have as a call (<see cref="Validation.ValidationResult.CallId"/>);
/// <paramref name="CreatedAt"/>, its <c>created</c> instant (UTC) when that could be read, so that a report in another
/// time zone counts it on its local day.
/// </summary>
public sealed record RejectRow(
    string RecordId,
    long RunId,
    string SourceFile,
    long RecordNumber,
    long? LineNumber,
    long? ByteOffset,
    string? Field,
    string Reason,
    string Raw,
    string? CallId,
    DateTime? CreatedAt)
{
    /// <summary>
    /// The key of a rejected record in <c>rejects</c>: the hash of its canonical JSON when it is a JSON object read to its end, so that the same
    /// bad record in another layout (pretty-printed, keys in another order) is found already kept, and the hash of
    /// its bytes as they are otherwise (migration V024 rekeyed the rejects kept before by their bytes alone).
    /// </summary>
    public static string IdOf(Validation.ValidationResult outcome, ReadOnlySpan<byte> bytes) =>
        outcome.ContentId ?? Validation.RecordId.OfBytes(bytes);

    /// <summary>The UTC day of <see cref="CreatedAt"/>, the day the reject is kept and counted under.</summary>
    public DateOnly? CreatedDay => CreatedAt is { } c ? DateOnly.FromDateTime(c) : null;
}
