using System.Globalization;

namespace LlmLog.Report;

/// <summary>Turns the warehouse rows of a selection into <see cref="ReportData"/>: days, models, distributions, quality.</summary>
public static class ReportBuilder
{
    /// <summary>Models shown by name in charts; the rest are folded into "other" so 10+ models stay legible.</summary>
    public const int TopModels = 6;

    public const string Other = "other";

    /// <summary>Builds the report, or throws <see cref="ExitCode.NoData"/> when the selection holds no call.</summary>
    public static ReportData Build(ReportQueries queries, ReportSelection selection, string? title, string engine)
    {
        var calls = queries.Calls(selection);
        if (calls.Count == 0) throw new LlmLogException(ExitCode.NoData, NoDataMessage(selection));

        var local = calls.Select(c => (Call: c, Local: selection.ToLocal(c.CreatedAt))).ToList();
        var cost = Costs(queries, selection, calls);
        var days = Days(local, cost, dailyCost: !cost.UtcDays || selection.IsUtc);
        var models = Models(calls, cost);
        var quality = Quality(queries, selection, calls);
        var first = DateOnly.FromDateTime(local.Min(l => l.Local));
        var last = DateOnly.FromDateTime(local.Max(l => l.Local));
        var withUsage = calls.LongCount(c => c.HasUsage);
        var unpriced = cost.Source switch
        {
            CostSource.Mart => cost.UnpricedByUtcDay.Values.Sum(),
            CostSource.Logged => calls.LongCount(c => c.HasUsage && c.LoggedCostUsd is null),
            _ => withUsage,
        };
        var kpis = new Kpis(
            Calls: calls.Count,
            TotalTokens: calls.Sum(c => c.TotalTokens ?? 0),
            EstimatedCostUsd: cost.Source == CostSource.None ? null : cost.Rows.Sum(r => r.Usd),
            CallsWithUsage: withUsage,
            UnpricedCalls: unpriced,
            P50LatencyS: Stats.Percentile(calls.Select(c => c.LatencyS), 0.5),
            P95LatencyS: Stats.Percentile(calls.Select(c => c.LatencyS), 0.95),
            P95TtftStreamedS: Stats.Percentile(calls.Where(c => c.Stream == true).Select(c => c.TtftS), 0.95),
            StreamedCalls: calls.LongCount(c => c.Stream == true),
            RejectedRecords: queries.RejectedCount(selection),
            FlaggedCalls: calls.LongCount(c => c.Flags.Length > 0));
        var header = new ReportHeader(
            Title: string.IsNullOrWhiteSpace(title) ? "LLM usage report" : title.Trim(),
            FirstDay: selection.From ?? first,
            LastDay: selection.To ?? last,
            TimeZone: selection.ZoneId,
            ModelFilter: selection.Model.Length > 0 ? selection.Model : null,
            NewestCallUtc: calls.Max(c => c.CreatedAt),
            GeneratedAtUtc: Clock.UtcNow,
            ToolVersion: ToolInfo.Version,
            Engine: engine,
            PriceTableHashes: queries.PriceTableHashes(selection));
        var distributions = DistributionBuilder.Build(local, models);
        var data = new ReportData
        {
            Header = header,
            Kpis = kpis,
            Days = days,
            Models = models,
            ChartModels = ChartModels(calls, models, cost),
            Distributions = distributions,
            Cost = cost,
            Quality = quality,
            Findings = [],
        };
        return data with { Findings = Findings.From(data) };
    }

    private static string NoDataMessage(ReportSelection s)
    {
        if (s.From is null && s.To is null && s.Model.Length == 0) return "the database holds no calls yet; run 'llmlog ingest FILE' first";
        var parts = new List<string>();
        if (s.From is { } f) parts.Add("from " + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (s.To is { } t) parts.Add("to " + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (s.Model.Length > 0) parts.Add("model " + s.Model);
        return $"no calls match the selection ({string.Join(", ", parts)}, time zone {s.ZoneId}); widen --from/--to or check --model";
    }

    private static CostSeries Costs(ReportQueries queries, ReportSelection selection, IReadOnlyList<CallFact> calls)
    {
        var mart = queries.MartCosts(selection);
        if (mart is { Count: > 0 } && mart.Any(r => r.Usd is not null))
        {
            return new CostSeries(CostSource.Mart, mart.Where(r => r.Usd is not null).Select(r => (r.Day, r.Model, r.Usd!.Value)).ToList(), UtcDays: true)
            {
                UnpricedByUtcDay = mart.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Sum(r => r.Unpriced)),
            };
        }
        if (calls.Any(c => c.LoggedCostUsd is not null))
        {
            var rows = calls.Where(c => c.LoggedCostUsd is not null)
                .GroupBy(c => (Day: DateOnly.FromDateTime(selection.ToLocal(c.CreatedAt)), c.Model))
                .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
                .Select(g => (g.Key.Day, g.Key.Model, g.Sum(c => c.LoggedCostUsd!.Value)))
                .ToList();
            return new CostSeries(CostSource.Logged, rows, UtcDays: false);
        }
        return new CostSeries(CostSource.None, [], UtcDays: false);
    }

    private static List<DailyMetrics> Days(List<(CallFact Call, DateTime Local)> local, CostSeries cost, bool dailyCost)
    {
        // Mart costs are per UTC day; they cannot be split into the days of another zone.
        if (!dailyCost) cost = new CostSeries(CostSource.None, [], UtcDays: false);
        var costByDay = cost.Rows.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Sum(r => r.Usd));
        var loggedUnpriced = cost.Source == CostSource.Logged;
        return local.GroupBy(l => DateOnly.FromDateTime(l.Local)).OrderBy(g => g.Key).Select(g =>
        {
            var c = g.Select(x => x.Call).ToList();
            var latency = Stats.Sorted(c.Select(x => x.LatencyS));
            var ttft = Stats.Sorted(c.Select(x => x.TtftS));
            var withUsage = c.Where(x => x.HasUsage).ToList();
            long? unpriced = cost.Source switch
            {
                CostSource.Mart => cost.UnpricedByUtcDay.GetValueOrDefault(g.Key),
                CostSource.Logged => withUsage.LongCount(x => x.LoggedCostUsd is null),
                _ => null,
            };
            return new DailyMetrics
            {
                Day = g.Key,
                Calls = c.Count,
                StreamedCalls = c.LongCount(x => x.Stream == true),
                NonStreamedCalls = c.LongCount(x => x.Stream == false),
                TextCalls = c.LongCount(x => x.RequestType == "text"),
                JsonSchemaCalls = c.LongCount(x => x.RequestType == "json_schema"),
                CallsWithUsage = withUsage.Count,
                PromptTokens = c.Sum(x => x.PromptTokens ?? 0),
                CompletionTokens = c.Sum(x => x.CompletionTokens ?? 0),
                TotalTokens = c.Sum(x => x.TotalTokens ?? 0),
                AvgTtftS = Stats.Average(c.Select(x => x.TtftS)),
                P50TtftS = Stats.Percentile(ttft, 0.5),
                P95TtftS = Stats.Percentile(ttft, 0.95),
                P99TtftS = Stats.Percentile(ttft, 0.99),
                AvgLatencyS = Stats.Average(c.Select(x => x.LatencyS)),
                P50LatencyS = Stats.Percentile(latency, 0.5),
                P95LatencyS = Stats.Percentile(latency, 0.95),
                P99LatencyS = Stats.Percentile(latency, 0.99),
                AvgTtftTextS = Stats.Average(c.Where(x => x.RequestType == "text").Select(x => x.TtftS)),
                AvgTtftJsonSchemaS = Stats.Average(c.Where(x => x.RequestType == "json_schema").Select(x => x.TtftS)),
                AvgTemperature = Stats.Average(c.Select(x => x.Temperature)),
                AvgMaxTokens = Stats.Average(c.Select(x => (double?)x.MaxTokens)),
                AvgOutputTokensPerS = Stats.Average(withUsage.Select(x => x.OutputTokensPerS)),
                HitMaxTokensCalls = c.LongCount(x => x.HitMaxTokens == true),
                EstCostUsd = cost.Source == CostSource.None ? null : costByDay.TryGetValue(g.Key, out var usd) ? usd : loggedUnpriced ? null : 0,
                UnpricedCalls = unpriced,
                P95TtftStreamedS = Stats.Percentile(c.Where(x => x.Stream == true).Select(x => x.TtftS), 0.95),
                AvgTokensPerCall = Stats.Average(withUsage.Select(x => (double?)x.TotalTokens)),
                CallsByRequestType = c.GroupBy(x => x.RequestType ?? "(none)").ToDictionary(t => t.Key, t => t.LongCount(), StringComparer.Ordinal),
            };
        }).ToList();
    }

    private static List<ModelMetrics> Models(IReadOnlyList<CallFact> calls, CostSeries cost)
    {
        var costByModel = cost.Rows.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.Sum(r => r.Usd), StringComparer.Ordinal);
        return calls.GroupBy(c => c.Model, StringComparer.Ordinal)
            .Select(g => Model(g.Key, g.ToList(), cost.Source == CostSource.None ? null : costByModel.GetValueOrDefault(g.Key)))
            .OrderByDescending(m => m.Calls).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
    }

    private static List<ModelMetrics> ChartModels(IReadOnlyList<CallFact> calls, List<ModelMetrics> models, CostSeries cost)
    {
        if (models.Count <= TopModels + 1) return models;
        var top = models.Take(TopModels).Select(m => m.Model).ToHashSet(StringComparer.Ordinal);
        var rest = calls.Where(c => !top.Contains(c.Model)).ToList();
        double? restCost = cost.Source == CostSource.None ? null : models.Skip(TopModels).Sum(m => m.EstCostUsd ?? 0);
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
