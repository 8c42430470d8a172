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
        // The two longest scans — the headline percentiles and the per-model ones — run beside the rest, each on a
        // connection of its own: much of an engine's percentile work uses one core, so side by side they use two.
        var totalsTask = Task.Run(() =>
        {
            var totals = queries.Totals(selection);
            return (Totals: totals, Latency: DistributionBuilder.Latency(queries, selection, totals));
        });
        var modelsTask = Task.Run(() => ModelRows(queries, selection));
        try
        {
            var daily = queries.DailyMetrics(selection);
            if (daily is null) throw new LlmLogException(ExitCode.NoData, "the database holds no calls yet; run 'llmlog ingest FILE' first");
            if (daily.Days.Count == 0) throw new LlmLogException(ExitCode.NoData, NoDataMessage(selection));
            var (costGroups, anyComputed) = queries.CostByDay(selection);
            var cost = Costs(costGroups, anyComputed);
            var days = Days(daily.Days, queries, selection);
            var flagSets = queries.FlagSets(selection);
            var runs = queries.IngestRuns(selection);
            var rejectReasons = queries.RejectReasons(selection);
            var rejected = queries.RejectedCount(selection);
            var distributionRows = DistributionBuilder.Read(queries, selection);

            var (totals, latency) = totalsTask.GetAwaiter().GetResult();
            if (totals.Calls == 0) throw new LlmLogException(ExitCode.NoData, NoDataMessage(selection));
            var (modelRows, pooled) = modelsTask.GetAwaiter().GetResult();
            var models = Models(modelRows, cost);
            var kpis = new Kpis(
                Calls: totals.Calls,
                TotalTokens: totals.TotalTokens,
                EstimatedCostUsd: cost.Source == CostSource.None ? null : cost.Rows.Sum(r => r.Usd),
                CallsWithUsage: totals.CallsWithUsage,
                UnpricedCalls: costGroups.Sum(g => g.UnpricedCalls),
                P50LatencyS: totals.P50LatencyS,
                P95LatencyS: totals.P95LatencyS,
                P95TtftStreamedS: totals.P95TtftStreamedS,
                StreamedCalls: totals.StreamedCalls,
                RejectedRecords: rejected,
                FlaggedCalls: totals.FlaggedCalls);
            var header = new ReportHeader(
                Title: string.IsNullOrWhiteSpace(title) ? "LLM usage report" : title.Trim(),
                FirstDay: daily.From,
                LastDay: daily.To,
                TimeZone: selection.ZoneId,
                ModelFilter: selection.Model.Length > 0 ? selection.Model : null,
                NewestCallUtc: totals.NewestCallUtc!.Value,
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
                ChartModels = ChartModels(models, pooled),
                Distributions = DistributionBuilder.Build(distributionRows, totals, latency, models),
                Cost = cost,
                Quality = Quality(totals, flagSets, runs, rejectReasons),
                Findings = [],
            };
            return data with { Findings = Findings.From(data) };
        }
        finally
        {
            // Never leave a query running on a connection the caller is about to close. A failure of either task is
            // thrown above when its result is taken, or is second to the failure already being thrown.
            try
            {
                Task.WaitAll(totalsTask, modelsTask);
            }
            catch (AggregateException)
            {
            }
        }
    }

    /// <summary>Every model's metrics, and — when there are more than the charts show apart — the pooled rest.</summary>
    private static (IReadOnlyList<ModelMetrics> Rows, ModelMetrics? Pooled) ModelRows(ReportQueries queries, ReportSelection selection)
    {
        var rows = queries.Models(selection);
        if (rows.Count <= TopModels + 1) return (rows, null);
        // The pool's percentiles come from its calls, so the engine aggregates them again with the top models kept apart.
        var top = rows.OrderByDescending(m => m.Calls).ThenBy(m => m.Model, StringComparer.Ordinal).Take(TopModels).Select(m => m.Model).ToList();
        return (rows, queries.PooledModels(selection, top, Other));
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

    private static CostSeries Costs(IReadOnlyList<(DateOnly Day, string Model, double? Usd, long UnpricedCalls)> groups, bool anyComputed)
    {
        // A sum is null exactly when none of the group's calls has a cost.
        var priced = groups.Where(g => g.Usd is not null).ToList();
        if (priced.Count == 0) return new CostSeries(CostSource.None, []);
        // A computed cost is never null, so it lies in a priced group.
        var source = anyComputed ? CostSource.Estimated : CostSource.Logged;
        var rows = priced
            .OrderBy(g => g.Day).ThenBy(g => g.Model, StringComparer.Ordinal)
            .Select(g => (g.Day, g.Model, g.Usd!.Value))
            .ToList();
        return new CostSeries(source, rows);
    }

    /// <summary>The contract columns as the summary reads them, and beside them what the report adds per local day.</summary>
    private static List<ReportDay> Days(IReadOnlyList<Transform.DailyMetrics> metrics, ReportQueries queries, ReportSelection selection)
    {
        var extras = queries.DayExtras(selection).ToDictionary(e => e.Day);
        var types = queries.DayRequestTypes(selection).GroupBy(t => t.Day).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, long>)g.GroupBy(t => t.RequestType ?? "(none)", StringComparer.Ordinal)
                .ToDictionary(t => t.Key, t => t.Sum(x => x.Calls), StringComparer.Ordinal));
        return metrics.OrderBy(m => m.Day).Select(m =>
        {
            var extra = extras.GetValueOrDefault(m.Day);
            return new ReportDay(m)
            {
                P95TtftStreamedS = extra.P95TtftStreamedS,
                AvgTokensPerCall = extra.UsageCalls == 0 ? null : (double)(extra.UsageTokens ?? 0) / extra.UsageCalls,
                CallsByRequestType = types.GetValueOrDefault(m.Day) ?? new Dictionary<string, long>(),
            };
        }).ToList();
    }

    private static List<ModelMetrics> Models(IReadOnlyList<ModelMetrics> rows, CostSeries cost)
    {
        var costByModel = cost.Rows.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.Sum(r => r.Usd), StringComparer.Ordinal);
        // A model none of whose calls has a cost shows "n/a", never $0.
        return rows.Select(m => m with { EstCostUsd = costByModel.TryGetValue(m.Model, out var usd) ? usd : null })
            .OrderByDescending(m => m.Calls).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
    }

    private static List<ModelMetrics> ChartModels(List<ModelMetrics> models, ModelMetrics? pooled)
    {
        if (pooled is null) return models;
        var restCosts = models.Skip(TopModels).Where(m => m.EstCostUsd is not null).ToList();
        double? restCost = restCosts.Count == 0 ? null : restCosts.Sum(m => m.EstCostUsd!.Value);
        return [.. models.Take(TopModels), pooled with { EstCostUsd = restCost }];
    }

    private static DataQuality Quality(SelectionTotals t, IReadOnlyList<(string Flags, long Calls)> flagSets, IReadOnlyList<IngestRunRow> runs, IReadOnlyList<RejectReasonRow> rejectReasons)
    {
        var n = t.Calls;
        var completeness = new List<(string, long, long)>
        {
            ("usage (token counts)", t.CallsWithUsage, n),
            ("start and end (latency)", t.CallsWithStartEnd, n),
            ("time to first token", t.CallsWithTtft, n),
            ("stream", t.CallsWithStream, n),
            ("request type", t.CallsWithRequestType, n),
            ("temperature", t.CallsWithTemperature, n),
            ("max_tokens", t.CallsWithMaxTokens, n),
        };
        // The engine counts each distinct flags list; a list names several flags, so they are split here.
        var flags = flagSets
            .SelectMany(s => s.Flags.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => (Flag: f, s.Calls)))
            .GroupBy(f => f.Flag, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(f => f.Calls)))
            .OrderByDescending(f => f.Item2).ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        return new DataQuality(runs, rejectReasons, completeness, flags);
    }
}
