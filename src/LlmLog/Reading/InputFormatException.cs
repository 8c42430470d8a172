namespace LlmLog.Reading;

/// <summary>The input as a whole cannot be read as a log file (not a record inside it).</summary>
public sealed class InputFormatException(string message) : Exception(message)
{
    /// <summary>The input held nothing to load: it ended with nothing but white space, or failed before its first byte.</summary>
    public bool NothingToLoad { get; init; }
}
