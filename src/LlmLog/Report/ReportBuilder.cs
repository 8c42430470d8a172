using System.Globalization;

namespace LlmLog.Report;

/// <summary>Turns the warehouse rows of a selection into <see cref="ReportData"/>: days, models, distributions, quality.</summary>
public static class ReportBuilder
{
    /// <summary>Models shown by name in charts; the rest are folded into "other" so 10+ models stay legible.</summary>
    public const int TopModels = 6;

    public const string Other = "other";

    /// <summary>Builds the report, or throws <see cref="ExitCode.NoData"/> when the selection holds no call.</summary>
    public static ReportData Build(ReportQueries queries, ReportSelection selection, string? title, string engine, DateTime generatedAtUtc)
    {
        var daily = queries.DailyMetrics(selection);
        if (daily is null) throw new LlmLogException(ExitCode.NoData, "the database holds no calls yet; run 'llmlog ingest FILE' first");
        var calls = queries.Calls(selection);
        if (calls.Count == 0 || daily.Days.Count == 0) throw new LlmLogException(ExitCode.NoData, NoDataMessage(selection));

        var local = calls.Select(c => (Call: c, Local: selection.ToLocal(c.CreatedAt))).ToList();
        var cost = Costs(local);
        var days = Days(daily.Days, local);
        var models = Models(calls, cost);
        var quality = Quality(queries, selection, calls);
        var kpis = new Kpis(
            Calls: calls.Count,
            TotalTokens: calls.Sum(c => c.TotalTokens ?? 0),
            EstimatedCostUsd: cost.Source == CostSource.None ? null : calls.Sum(c => c.CostUsd ?? 0),
            CallsWithUsage: calls.LongCount(c => c.HasUsage),
            UnpricedCalls: calls.LongCount(c => c.IsUnpriced),
            P50LatencyS: Stats.Percentile(calls.Select(c => c.LatencyS), 0.5),
            P95LatencyS: Stats.Percentile(calls.Select(c => c.LatencyS), 0.95),
            P95TtftStreamedS: Stats.Percentile(calls.Where(c => c.Stream == true).Select(c => c.TtftS), 0.95),
            StreamedCalls: calls.LongCount(c => c.Stream == true),
            RejectedRecords: queries.RejectedCount(selection),
            FlaggedCalls: calls.LongCount(c => c.Flags.Length > 0));
        var header = new ReportHeader(
            Title: string.IsNullOrWhiteSpace(title) ? "LLM usage report" : title.Trim(),
            FirstDay: daily.From,
            LastDay: daily.To,
            TimeZone: selection.ZoneId,
            ModelFilter: selection.Model.Length > 0 ? selection.Model : null,
            NewestCallUtc: calls.Max(c => c.CreatedAt),
            GeneratedAtUtc: generatedAtUtc,
            ToolVersion: ToolInfo.Version,
            Engine: engine,
            PriceTableHashes: daily.PriceTables.Select(p => p.Sha256).ToList());
        var data = new ReportData
        {
            Header = header,
            Kpis = kpis,
            Days = days,
            Models = models,
            ChartModels = ChartModels(calls, models, cost),
            Distributions = DistributionBuilder.Build(local, models),
            Cost = cost,
            Quality = quality,
            Findings = [],
        };
        return data with { Findings = Findings.From(data) };
    }

    private static string NoDataMessage(ReportSelection s)
    {
        var parts = new List<string>();
        if (s.From is { } f) parts.Add("from " + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (s.To is { } t) parts.Add("to " + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (s.Model.Length > 0) parts.Add("model " + s.Model);
        parts.Add("time zone " + s.ZoneId);
        return $"no calls match the selection ({string.Join(", ", parts)}); widen --from/--to or check --model";
    }

    private static CostSeries Costs(List<(CallFact Call, DateTime Local)> local)
    {
        var priced = local.Where(l => l.Call.CostUsd is not null).ToList();
        if (priced.Count == 0) return new CostSeries(CostSource.None, []);
        var source = priced.Any(l => l.Call.CostSource == "computed") ? CostSource.Estimated : CostSource.Logged;
        var rows = priced
            .GroupBy(l => (Day: DateOnly.FromDateTime(l.Local), l.Call.Model))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => (g.Key.Day, g.Key.Model, g.Sum(l => l.Call.CostUsd!.Value)))
            .ToList();
        return new CostSeries(source, rows);
    }

    /// <summary>The contract columns as the summary reads them, and beside them what only the call rows give.</summary>
    private static List<ReportDay> Days(IReadOnlyList<Transform.DailyMetrics> metrics, List<(CallFact Call, DateTime Local)> local)
    {
        var byDay = local.GroupBy(l => DateOnly.FromDateTime(l.Local)).ToDictionary(g => g.Key, g => g.Select(x => x.Call).ToList());
        return metrics.OrderBy(m => m.Day).Select(m =>
        {
            var c = byDay.GetValueOrDefault(m.Day) ?? [];
            return new ReportDay
            {
                Day = m.Day,
                Calls = m.Calls,
                StreamedCalls = m.StreamedCalls,
                NonStreamedCalls = m.NonStreamedCalls,
                TextCalls = m.TextCalls,
                JsonSchemaCalls = m.JsonSchemaCalls,
                CallsWithUsage = m.CallsWithUsage,
                PromptTokens = m.PromptTokens ?? 0,
                CompletionTokens = m.CompletionTokens ?? 0,
                TotalTokens = m.TotalTokens ?? 0,
                AvgTtftS = m.AvgTtftS,
                P50TtftS = m.P50TtftS,
                P95TtftS = m.P95TtftS,
                P99TtftS = m.P99TtftS,
                AvgLatencyS = m.AvgLatencyS,
                P50LatencyS = m.P50LatencyS,
                P95LatencyS = m.P95LatencyS,
                P99LatencyS = m.P99LatencyS,
                AvgTtftTextS = m.AvgTtftTextS,
                AvgTtftJsonSchemaS = m.AvgTtftJsonSchemaS,
                AvgTemperature = m.AvgTemperature,
                AvgMaxTokens = m.AvgMaxTokens,
                AvgOutputTokensPerS = m.AvgOutputTokensPerS,
                HitMaxTokensCalls = m.HitMaxTokensCalls,
                EstCostUsd = m.EstCostUsd,
                UnpricedCalls = m.UnpricedCalls,
                Partial = m.Partial,
                P95TtftStreamedS = Stats.Percentile(c.Where(x => x.Stream == true).Select(x => x.TtftS), 0.95),
                AvgTokensPerCall = Stats.Average(c.Where(x => x.HasUsage).Select(x => (double?)x.TotalTokens)),
                CallsByRequestType = c.GroupBy(x => x.RequestType ?? "(none)").ToDictionary(t => t.Key, t => t.LongCount(), StringComparer.Ordinal),
            };
        }).ToList();
    }

    private static List<ModelMetrics> Models(IReadOnlyList<CallFact> calls, CostSeries cost)
    {
        var costByModel = cost.Rows.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.Sum(r => r.Usd), StringComparer.Ordinal);
        return calls.GroupBy(c => c.Model, StringComparer.Ordinal)
            // A model none of whose calls has a cost shows "n/a", never $0.
            .Select(g => Model(g.Key, g.ToList(), costByModel.TryGetValue(g.Key, out var usd) ? usd : null))
            .OrderByDescending(m => m.Calls).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
    }

    private static List<ModelMetrics> ChartModels(IReadOnlyList<CallFact> calls, List<ModelMetrics> models, CostSeries cost)
    {
        if (models.Count <= TopModels + 1) return models;
        var top = models.Take(TopModels).Select(m => m.Model).ToHashSet(StringComparer.Ordinal);
        var rest = calls.Where(c => !top.Contains(c.Model)).ToList();
        var restCosts = models.Skip(TopModels).Where(m => m.EstCostUsd is not null).ToList();
        double? restCost = restCosts.Count == 0 ? null : restCosts.Sum(m => m.EstCostUsd!.Value);
        return [.. models.Take(TopModels), Model(Other, rest, restCost)];
    }

    /// <summary>Metrics of one model (or of the pooled calls of several, for "other").</summary>
    internal static ModelMetrics Model(string name, IReadOnlyList<CallFact> c, double? cost)
    {
        var streamed = c.Where(x => x.Stream == true).ToList();
        var nonStreamed = c.Where(x => x.Stream == false).ToList();
        return new ModelMetrics
        {
            Model = name,
            Calls = c.Count,
            StreamedCalls = streamed.Count,
            CallsWithUsage = c.LongCount(x => x.HasUsage),
            PromptTokens = c.Sum(x => x.PromptTokens ?? 0),
            CompletionTokens = c.Sum(x => x.CompletionTokens ?? 0),
            TotalTokens = c.Sum(x => x.TotalTokens ?? 0),
            P50LatencyS = Stats.Percentile(c.Select(x => x.LatencyS), 0.5),
            P95LatencyS = Stats.Percentile(c.Select(x => x.LatencyS), 0.95),
            AvgTtftStreamedS = Stats.Average(streamed.Select(x => x.TtftS)),
            P95TtftStreamedS = Stats.Percentile(streamed.Select(x => x.TtftS), 0.95),
            AvgTtftNonStreamedS = Stats.Average(nonStreamed.Select(x => x.TtftS)),
            P95TtftNonStreamedS = Stats.Percentile(nonStreamed.Select(x => x.TtftS), 0.95),
            AvgOutputTokensPerS = Stats.Average(c.Where(x => x.HasUsage).Select(x => x.OutputTokensPerS)),
            P50OutputTokensPerS = Stats.Percentile(c.Where(x => x.HasUsage).Select(x => x.OutputTokensPerS), 0.5),
            CallsWithMaxTokens = c.LongCount(x => x.MaxTokens is not null),
            HitMaxTokensCalls = c.LongCount(x => x.HitMaxTokens == true),
            EstCostUsd = cost,
        };
    }

    private static DataQuality Quality(ReportQueries queries, ReportSelection selection, IReadOnlyList<CallFact> calls)
    {
        long n = calls.Count;
        var completeness = new List<(string, long, long)>
        {
            ("usage (token counts)", calls.LongCount(c => c.HasUsage), n),
            ("start and end (latency)", calls.LongCount(c => c.HasStartEnd), n),
            ("time to first token", calls.LongCount(c => c.TtftS is not null), n),
            ("stream", calls.LongCount(c => c.Stream is not null), n),
            ("request type", calls.LongCount(c => c.RequestType is not null), n),
            ("temperature", calls.LongCount(c => c.Temperature is not null), n),
            ("max_tokens", calls.LongCount(c => c.MaxTokens is not null), n),
        };
        var flags = calls.SelectMany(c => c.Flags.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .GroupBy(f => f, StringComparer.Ordinal)
            .Select(g => (g.Key, g.LongCount()))
            .OrderByDescending(f => f.Item2).ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        return new DataQuality(queries.IngestRuns(selection), queries.RejectReasons(selection), completeness, flags);
    }
}
