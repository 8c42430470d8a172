namespace LlmLog.Generation;

/// <summary>The one thing wrong with a generated record, if anything; each maps to one reject or flag reason.</summary>
internal enum RecordDefect
{
    None,

    // Rejected: an ingester cannot load the record.
    NotAnObject,
    CreatedMissing,
    CreatedUnparseable,
    ModelMissing,
    ModelEmpty,
    TokenNegative,
    TokenNotInteger,
    TokenNotNumber,
    TimingNotNumber,
    TtftNegative,
    TtftTooLong,
    EndBeforeStart,
    TemperatureNotNumber,
    TemperatureOutOfRange,
    MaxTokensNegative,
    StreamNotBoolean,
    CostOutOfRange,

    // Flagged: loadable, but its numbers disagree with each other.
    TokensMismatch,
    TtftExceedsLatency,
    CompletionExceedsMaxTokens,
}

/// <summary>Which defects reject a record and which only flag it.</summary>
internal static class RecordDefects
{
    public static readonly RecordDefect[] Rejects =
    [
        RecordDefect.NotAnObject, RecordDefect.CreatedMissing, RecordDefect.CreatedUnparseable,
        RecordDefect.ModelMissing, RecordDefect.ModelEmpty, RecordDefect.TokenNegative,
        RecordDefect.TokenNotInteger, RecordDefect.TokenNotNumber, RecordDefect.TimingNotNumber,
        RecordDefect.TtftNegative, RecordDefect.TtftTooLong, RecordDefect.EndBeforeStart, RecordDefect.TemperatureNotNumber,
        RecordDefect.TemperatureOutOfRange, RecordDefect.MaxTokensNegative, RecordDefect.StreamNotBoolean, RecordDefect.CostOutOfRange,
    ];

    public static readonly RecordDefect[] Flags =
    [
        RecordDefect.TokensMismatch, RecordDefect.TtftExceedsLatency, RecordDefect.CompletionExceedsMaxTokens,
    ];
}
