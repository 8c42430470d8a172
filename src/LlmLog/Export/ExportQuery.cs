namespace LlmLog.Export;

/// <summary>One statement an export runs: the name of its file under <c>sql/</c> and its bound parameters.</summary>
public sealed record ExportQuery(string SqlName, IReadOnlyDictionary<string, object> Parameters);
