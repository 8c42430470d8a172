namespace LlmLog.Report;

/// <summary>
/// The selection's log-binned histograms per model and measure (<c>sql/report/distributions*.sql</c>), from which
/// every period-wide percentile and mean of the report is read, so every path gives the same kind of number.
/// </summary>
public sealed class Measures
{
    public const string Latency = "latency_s";
    public const string TtftStreamed = "ttft_streamed_s";
    public const string TtftNonStreamed = "ttft_non_streamed_s";

    /// <summary>Output tokens per second of calls that report their usage.</summary>
    public const string OutputTokensPerS = "output_tokens_per_s";

    /// <summary>Completion tokens as a share of max_tokens, for calls that set a limit and report completion tokens.</summary>
    public const string MaxTokensUse = "max_tokens_use";

    private readonly Dictionary<(string Model, string Measure), LogHistogram> _byModel;

    public Measures(IEnumerable<(string Model, string Measure, LogHistogram.Bin Bin)> rows)
    {
        // Ordered before merging, so sums are added in the same order whatever order the engine returned the rows in.
        _byModel = rows
            .OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Measure, StringComparer.Ordinal).ThenBy(r => r.Bin.Index)
            .GroupBy(r => (r.Model, r.Measure))
            .ToDictionary(g => g.Key, g => LogHistogram.From(g.Select(r => r.Bin)));
    }

    /// <summary>
    /// One measure of the given models pooled, or of every model when <paramref name="models"/> is null. The given models'
    /// histograms are looked up, not searched for among all: the report asks this of each model in turn, and a search per
    /// model made it take the square of the number of models (32 s of CPU at 8,000 models; found by probing the report).
    /// </summary>
    public LogHistogram Of(string measure, IEnumerable<string>? models = null)
    {
        var histograms = models is null
            ? _byModel.Where(m => m.Key.Measure == measure).OrderBy(m => m.Key.Model, StringComparer.Ordinal).Select(m => m.Value)
            : models.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(model => _byModel.GetValueOrDefault((model, measure))).OfType<LogHistogram>();
        return LogHistogram.Merge(histograms);
    }
}
