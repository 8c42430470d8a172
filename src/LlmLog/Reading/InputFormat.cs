namespace LlmLog.Reading;

/// <summary>The shapes of log file llmlog reads.</summary>
public enum InputFormat
{
    /// <summary>A Braintrust BTQL export: <c>{"data":[...],"schema":...,"dialect":...}</c>.</summary>
    Export,

    /// <summary>A bare JSON array of records.</summary>
    Array,

    /// <summary>One JSON record per line (JSON Lines / NDJSON).</summary>
    JsonLines,

    /// <summary>
    /// JSON records one after another, each over as many lines as it likes: what <c>jq '.data[]'</c> or <c>jq .</c>
    /// prints, pretty-printed, its first record's opening brace alone on the first line.
    /// </summary>
    Concatenated,
}
