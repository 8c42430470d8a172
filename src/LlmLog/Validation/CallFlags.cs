namespace LlmLog.Validation;

/// <summary>Doubts about a call that is still loaded: each is counted, none drops the call.</summary>
[Flags]
public enum CallFlags
{
    None = 0,

    /// <summary><c>tokens</c> differs from <c>prompt_tokens + completion_tokens</c>.</summary>
    TokensMismatch = 1,

    /// <summary>No token counts at all (typical of streamed calls).</summary>
    MissingUsage = 2,

    /// <summary>Time to first token is longer than the whole call.</summary>
    TtftExceedsLatency = 4,

    /// <summary>More completion tokens than <c>max_tokens</c> allowed.</summary>
    CompletionExceedsMaxTokens = 8,
}

/// <summary>The names flags have in the warehouse and in output.</summary>
public static class CallFlagNames
{
    public static readonly (CallFlags Flag, string Name)[] All =
    [
        (CallFlags.TokensMismatch, "tokens_mismatch"),
        (CallFlags.MissingUsage, "missing_usage"),
        (CallFlags.TtftExceedsLatency, "ttft_exceeds_latency"),
        (CallFlags.CompletionExceedsMaxTokens, "completion_exceeds_max_tokens"),
    ];

    private static readonly string[] Joined = BuildJoined();

    /// <summary>Comma-separated flag names, e.g. <c>missing_usage,ttft_exceeds_latency</c>.</summary>
    public static string Format(CallFlags flags) => Joined[(int)flags];

    private static string[] BuildJoined()
    {
        var result = new string[16];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = string.Join(',', All.Where(f => ((CallFlags)i).HasFlag(f.Flag)).Select(f => f.Name));
        }
        return result;
    }
}
