namespace LlmLog.Report;

/// <summary>One call as the report reads it: the columns of <c>calls</c> that charts and tables use.</summary>
public sealed class CallFact
{
    public DateTime CreatedAt { get; init; }
    public string Model { get; init; } = "";
    public bool? Stream { get; init; }
    public string? RequestType { get; init; }
    public long? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public double? LatencyS { get; init; }
    public double? TtftS { get; init; }
    public long? PromptTokens { get; init; }
    public long? CompletionTokens { get; init; }
    public long? TotalTokens { get; init; }
    public double? OutputTokensPerS { get; init; }
    public bool? HitMaxTokens { get; init; }
    /// <summary>The call's cost as the transform fixed it (logged or computed); null when unknown.</summary>
    public double? CostUsd { get; init; }

    /// <summary>'logged', 'computed', 'unpriced' or 'no_usage' (see call_costs); null before the transform ran.</summary>
    public string? CostSource { get; init; }
    public string Flags { get; init; } = "";
    public bool FlagMissingUsage { get; init; }
    public bool HasStartEnd { get; init; }
    public long RunId { get; init; }

    /// <summary>Whether the call reports its token usage, as <c>calls_with_usage</c> counts it.</summary>
    public bool HasUsage => !FlagMissingUsage;

    public bool IsUnpriced => CostSource == "unpriced";
}
