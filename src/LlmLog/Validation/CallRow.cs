namespace LlmLog.Validation;

/// <summary>A validated, flattened call: one row of the <c>calls</c> table.</summary>
public sealed class CallRow
{
    public string RecordId { get; set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateOnly Day { get; private set; }

    /// <summary>Sets the creation time (UTC) and the day it falls on.</summary>
    public void Created(DateTime utc)
    {
        CreatedAt = utc;
        Day = DateOnly.FromDateTime(utc);
    }
    public string Model { get; set; } = "";
    public string ModelFamily { get; set; } = "";
    public string? ModelVersion { get; set; }
    public bool? Stream { get; set; }
    public string? RequestType { get; set; }
    public long? MaxTokens { get; set; }
    public double? Temperature { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public double? LatencySeconds { get; set; }
    public double? TtftSeconds { get; set; }
    public long? PromptTokens { get; set; }
    public long? CompletionTokens { get; set; }
    public long? TotalTokens { get; set; }

    /// <summary>Prompt tokens read from the provider's cache (<c>metrics.prompt_cached_tokens</c>), priced at the cached rate.</summary>
    public long? PromptCachedTokens { get; set; }
    public double? OutputTokensPerSecond { get; set; }
    public bool? HitMaxTokens { get; set; }
    public double? LoggedCostUsd { get; set; }
    public CallFlags Flags { get; set; }
    public long RecordNumber { get; set; }
    public long? LineNumber { get; set; }
    public string Raw { get; set; } = "";

    /// <summary>Copies every column of <paramref name="other"/> into this row (rows are reused, not allocated).</summary>
    public void CopyFrom(CallRow other)
    {
        RecordId = other.RecordId;
        CreatedAt = other.CreatedAt;
        Day = other.Day;
        Model = other.Model;
        ModelFamily = other.ModelFamily;
        ModelVersion = other.ModelVersion;
        Stream = other.Stream;
        RequestType = other.RequestType;
        MaxTokens = other.MaxTokens;
        Temperature = other.Temperature;
        StartedAt = other.StartedAt;
        EndedAt = other.EndedAt;
        LatencySeconds = other.LatencySeconds;
        TtftSeconds = other.TtftSeconds;
        PromptTokens = other.PromptTokens;
        CompletionTokens = other.CompletionTokens;
        TotalTokens = other.TotalTokens;
        PromptCachedTokens = other.PromptCachedTokens;
        OutputTokensPerSecond = other.OutputTokensPerSecond;
        HitMaxTokens = other.HitMaxTokens;
        LoggedCostUsd = other.LoggedCostUsd;
        Flags = other.Flags;
        RecordNumber = other.RecordNumber;
        LineNumber = other.LineNumber;
        Raw = other.Raw;
    }
}
