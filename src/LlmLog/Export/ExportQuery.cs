namespace LlmLog.Export;

/// <summary>
/// One statement an export runs: the name of its file under <c>sql/</c>, its bound parameters, and how many days with
/// calls it reads (for the progress line; a calls export reads several sparse days in one statement).
/// </summary>
public sealed record ExportQuery(string SqlName, IReadOnlyDictionary<string, object> Parameters, int Days = 1);
