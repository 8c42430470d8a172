namespace LlmLog.Transform;

/// <summary>How far a refresh has got, for a progress line: slices of days built of all, and the days they hold.</summary>
public readonly record struct RefreshProgress(string Label, int SlicesBuilt, int Slices, long Days, TimeSpan Elapsed);
