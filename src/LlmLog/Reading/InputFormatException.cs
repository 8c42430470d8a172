namespace LlmLog.Reading;

/// <summary>The input as a whole cannot be read as a log file (not a record inside it).</summary>
public sealed class InputFormatException(string message) : Exception(message)
{
    /// <summary>Not a byte could be read: the input was empty, or failed at its first read.</summary>
    public bool NothingRead { get; init; }
}
