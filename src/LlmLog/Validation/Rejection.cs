namespace LlmLog.Validation;

/// <summary>Why a record was not loaded: the field at fault (if one) and a reason a person can act on.</summary>
public readonly record struct Rejection(string? Field, string Reason);
