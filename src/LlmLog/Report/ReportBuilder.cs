using System.Globalization;

namespace LlmLog.Report;

/// <summary>Turns the warehouse rows of a selection into <see cref="ReportData"/>: days, models, distributions, quality.</summary>
public static class ReportBuilder
{
    /// <summary>Models shown by name in charts for their calls (and <see cref="CostliestModels"/> for their cost); the rest are folded into "other" so 10+ models stay legible.</summary>
    public const int TopModels = 6;

    /// <summary>
    /// Models the model comparison lists by name; the rest are pooled into one "other" row, so thousands of models
    /// make a page, not a hundred (found by probing: 5,000 models made a 143-page PDF).
    /// </summary>
    public const int TableModels = 30;

    /// <summary>
    /// Models the charts also show by name for their cost, beside the <see cref="TopModels"/> by calls: a dear model with
    /// few calls was in the cost chart's "other" while the cost findings named it (found by probing the report).
    /// </summary>
    public const int CostliestModels = 2;

    public const string Other = "other";

    /// <summary>
    /// Builds the report, or throws <see cref="ExitCode.NoData"/> when the selection holds neither a call nor a
    /// rejected record of its own (see <see cref="RejectsOnly"/>). A selection with rejects but no call gets the
    /// same report with every part drawn from calls empty: header, tiles, data quality and findings.
    /// </summary>
    public static ReportData Build(ReportQueries queries, ReportSelection selection, string? title, string engine, DateTime generatedAtUtc)
    {
        // Over the call rows (another zone, a model filter) the histograms, the counts and the per-model counts are the
        // longest scans, so they run beside the rest, each on a connection of its own; from the marts they are short.
        var measuresTask = Task.Run(() => queries.Distributions(selection));
        var totalsTask = Task.Run(() => queries.Totals(selection));
        var modelsTask = Task.Run(() => queries.Models(selection));
        try
        {
            var daily = queries.DailyMetrics(selection);
            var rejected = queries.Rejected(selection);
            var noCalls = daily is null || daily.Days.Count == 0;
            if (noCalls && !RejectsOnly(selection, rejected, warehouseHasCalls: daily is not null))
            {
                var message = daily is null ? queries.NoCallsMessage() : NoDataMessage(selection, queries, daily);
                // The rejects are there, only not under a model: say where to see them.
                if (selection.Model.Length > 0 && rejected.Count > 0 && daily is null) message += "; 'llmlog report' without --model shows them as a data quality report";
                throw new LlmLogException(ExitCode.NoData, message);
            }
            var (costGroups, anyComputed) = queries.CostByDay(selection);
            var cost = Costs(costGroups, anyComputed);
            var days = Days(daily?.Days ?? [], queries, selection);
            var flagSets = queries.FlagSets(selection);
            var runs = queries.IngestRuns(selection);
            var rejectReasons = queries.RejectReasons(selection);
            var distributionRows = DistributionBuilder.Read(queries, selection);

            var totals = totalsTask.GetAwaiter().GetResult();
            if (totals.Calls == 0 && !noCalls) throw new LlmLogException(ExitCode.NoData, NoDataMessage(selection, queries, daily!));
            var measures = measuresTask.GetAwaiter().GetResult();
            var modelRows = modelsTask.GetAwaiter().GetResult();
            var chartPeriod = days.Count == 0 ? ChartPeriod.None : ChartPeriod.Of(days.Select(d => (d.Day, d.Calls)), LocalToday(generatedAtUtc, selection));
            var models = Models(modelRows, measures, cost, costGroups.GroupBy(g => g.Model).ToDictionary(g => g.Key, g => g.Sum(x => x.UnpricedCalls), StringComparer.Ordinal));
            var latency = measures.Of(Measures.Latency);
            var kpis = new Kpis(
                Calls: totals.Calls,
                TotalTokens: totals.TotalTokens,
                EstimatedCostUsd: cost.Source == CostSource.None ? null : cost.Rows.Sum(r => r.Usd),
                CallsWithUsage: totals.CallsWithUsage,
                UnpricedCalls: costGroups.Sum(g => g.UnpricedCalls),
                P50LatencyS: latency.Percentile(0.5),
                P95LatencyS: latency.Percentile(0.95),
                P95TtftStreamedS: measures.Of(Measures.TtftStreamed).Percentile(0.95),
                StreamedCalls: totals.StreamedCalls,
                RejectedRecords: rejected.Count,
                FlaggedCalls: totals.FlaggedCalls,
                AvgOutputTokensPerS: measures.Of(Measures.OutputTokensPerS).Mean,
                CallsWithStream: totals.CallsWithStream,
                CallsWithTotalTokens: totals.CallsWithTotalTokens);
            var modelFiltered = selection.Model.Length > 0 && days.Count > 0;
            var header = new ReportHeader(
                Title: string.IsNullOrWhiteSpace(title) ? "LLM usage report" : title.Trim(),
                // Without calls, the period is what was asked for, else the days of the rejected records. With a model
                // filter and no --from/--to, the days of the model's calls: the warehouse's span (a year) read as the
                // model's, whose calls ran a month (found by probing the report).
                FirstDay: noCalls ? selection.From ?? rejected.FirstDay : selection.From is null && modelFiltered ? days[0].Day : daily!.From,
                LastDay: noCalls ? selection.To ?? rejected.LastDay : selection.To is null && modelFiltered ? days[^1].Day : daily!.To,
                TimeZone: selection.ZoneId,
                ModelFilter: selection.Model.Length > 0 ? selection.Model : null,
                NewestCallUtc: totals.NewestCallUtc,
                NewestCallLocal: totals.NewestCallUtc is { } newest && !selection.IsUtc
                    ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(newest, DateTimeKind.Utc), selection.Zone)
                    : null,
                GeneratedAtUtc: generatedAtUtc,
                ToolVersion: ToolInfo.Version,
                Engine: engine,
                PriceTableHashes: noCalls ? [] : daily!.PriceTables.Select(p => p.Sha256).ToList())
            {
                PriceTablesNoLongerInForce = noCalls ? [] : daily!.PriceTables.Where(p => !p.InForce).Select(p => p.Sha256).ToList(),
            };
            // Calls a table no longer in force left unpriced may have a price now: asked only when a second table was loaded,
            // so an ordinary report does not scan the calls for it (found by probing: the finding said to add a price that
            // was there). Not by the period's tables: when no call of it has a price, none of them is listed (found by
            // re-probing).
            if (kpis.UnpricedCalls > 0 && kpis.CallsWithUsage > 0 && queries.PriceTablesLoaded() > 1)
            {
                cost = cost with { UnpricedPricedInForce = queries.UnpricedPricedInForce(selection) };
            }
            if (kpis.UnpricedCalls > 0)
            {
                var unpriced = queries.UnpricedCalls(selection);
                cost = cost with
                {
                    UnpricedBeforeFirstPrice = BeforeFirstPrice(unpriced, queries.FirstPricesInForce()),
                    UnpricedWithoutSplit = unpriced.Where(u => u.WithoutSplit > 0).ToDictionary(u => u.Model, u => u.WithoutSplit, StringComparer.Ordinal),
                };
            }
            var data = new ReportData
            {
                Header = header,
                Kpis = kpis,
                Days = days,
                Models = models,
                ChartModels = Pooled(models, TopModels, measures, CostliestModels),
                TableModels = Pooled(models, TableModels, measures),
                Distributions = DistributionBuilder.Build(distributionRows, totals, measures, models, chartPeriod),
                ChartPeriod = chartPeriod,
                Cost = cost,
                Quality = Quality(totals, flagSets, runs, rejectReasons) with
                {
                    RejectsLoadedLater = rejected.LoadedLater, UndatedRejects = rejected.Count - rejected.Dated,
                    RejectsByDay = rejected.Dated == 0 ? new Dictionary<DateOnly, long>() : queries.RejectsByDay(selection),
                },
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
                Task.WaitAll(measuresTask, totalsTask, modelsTask);
            }
            catch (AggregateException)
            {
            }
        }
    }

    /// <summary>
    /// Whether a selection without calls gets a report of its rejected records, rather than exit 6. Not with a model
    /// filter: a rejected record has no model to match. In a warehouse with no call at all, any reject of the period
    /// does (undated ones included: they are all that was ingested). In a warehouse with calls elsewhere, only rejects
    /// dated inside the period do: the undated ones belong to no period, and would turn every mistyped --from/--to
    /// into a page of them instead of "no calls match".
    /// </summary>
    internal static bool RejectsOnly(ReportSelection selection, PeriodRejects rejected, bool warehouseHasCalls) =>
        selection.Model.Length == 0 && (warehouseHasCalls ? rejected.Dated > 0 : rejected.Count > 0);

    private static DateOnly LocalToday(DateTime generatedAtUtc, ReportSelection s) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(generatedAtUtc, DateTimeKind.Utc), s.Zone));

    // As summary says it: where the warehouse's calls are, so that the next --from/--to can be right (found by probing the docs).
    private static string NoDataMessage(ReportSelection s, ReportQueries queries, Transform.DailyMetricsResult daily)
    {
        var parts = new List<string>();
        if (s.From is { } f) parts.Add("from " + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (s.To is { } t) parts.Add("to " + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (s.Model.Length > 0) parts.Add("model " + s.Model);
        parts.Add("time zone " + s.ZoneId);
        return $"no calls match the selection ({string.Join(", ", parts)}); the warehouse's calls are from {Format.Day(daily.FirstCallDay)} to {Format.Day(daily.LastCallDay)}; "
            + $"{Transform.NoCalls.Hint(s.From is not null || s.To is not null, s.Model.Length > 0)}" +
            Transform.NoCalls.ModelHint(s.Model, queries.KnownModels);
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

    /// <summary>
    /// The models the table in force prices, but only from a day after their last call without a cost that logs a
    /// prompt/completion split, with that first day: "add it to a price table" was said of gpt-4o-2024-11-20 calls dated
    /// 2024-03-15, which the bundled table prices from 2024-11-20 (found by probing the report). The days compared are UTC
    /// days, on which prices take effect: a report in Asia/Tokyo put a call of 23:00 UTC on the day its price starts
    /// and told the user to add a price the table had (found by probing costs).
    /// </summary>
    internal static IReadOnlyDictionary<string, DateOnly> BeforeFirstPrice(
        IEnumerable<UnpricedModelCalls> unpriced, IReadOnlyList<(string Match, string MatchType, DateOnly FirstDay)> prices)
    {
        var found = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var model in unpriced)
        {
            if (model.LastDayWithSplit is not { } last) continue;
            var rows = prices.Where(p => p.MatchType == "exact" ? p.Match == model.Model : p.MatchType == "prefix" && model.Model.StartsWith(p.Match, StringComparison.Ordinal)).ToList();
            if (rows.Count == 0) continue;
            var first = rows.Min(p => p.FirstDay);
            if (last < first) found[model.Model] = first;
        }
        return found;
    }

    /// <summary>The contract columns as the summary reads them, and beside them what the report adds per local day.</summary>
    private static List<ReportDay> Days(IReadOnlyList<Transform.DailyMetrics> metrics, ReportQueries queries, ReportSelection selection)
    {
        var extras = queries.DayExtras(selection).ToDictionary(e => e.Day);
        var types = queries.DayRequestTypes(selection).GroupBy(t => t.Day).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, long>)g.GroupBy(t => t.RequestType ?? "(none)", StringComparer.Ordinal)
                .ToDictionary(t => t.Key, t => t.Sum(x => x.Calls), StringComparer.Ordinal));
        var dayModels = queries.DayModels(selection).GroupBy(t => t.Day).ToDictionary(g => g.Key, g => g.ToList());
        return metrics.OrderBy(m => m.Day).Select(m =>
        {
            var extra = extras.GetValueOrDefault(m.Day);
            return new ReportDay(m)
            {
                P95TtftStreamedS = extra.P95TtftStreamedS,
                AvgTokensPerCall = extra.UsageCalls == 0 ? null : (double)(extra.UsageTokens ?? 0) / extra.UsageCalls,
                CallsByRequestType = types.GetValueOrDefault(m.Day) ?? new Dictionary<string, long>(),
                CallsByModel = dayModels.GetValueOrDefault(m.Day)?.ToDictionary(t => t.Model, t => t.Calls, StringComparer.Ordinal) ?? new Dictionary<string, long>(),
                P95LatencyByModel = dayModels.GetValueOrDefault(m.Day)?.Where(t => t.P95LatencyS is not null)
                    .ToDictionary(t => t.Model, t => t.P95LatencyS!.Value, StringComparer.Ordinal) ?? new Dictionary<string, double>(),
            };
        }).ToList();
    }

    /// <summary>Each model's counts with its percentiles and means from its histograms and its cost, by calls.</summary>
    private static List<ModelMetrics> Models(IReadOnlyList<ModelMetrics> rows, Measures measures, CostSeries cost, IReadOnlyDictionary<string, long> unpricedByModel)
    {
        var costByModel = cost.Rows.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.Sum(r => r.Usd), StringComparer.Ordinal);
        // A model none of whose calls has a cost shows "n/a", never $0.
        return rows.Select(m => WithDistributions(m, measures, [m.Model]) with
            {
                EstCostUsd = costByModel.TryGetValue(m.Model, out var usd) ? usd : null,
                UnpricedCalls = unpricedByModel.GetValueOrDefault(m.Model),
            })
            .OrderByDescending(m => m.Calls).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The <paramref name="top"/> models by calls, and the <paramref name="costliest"/> by known cost, by name; the rest
    /// pooled into "other": counts added, histograms merged (never percentiles averaged). One model more than those
    /// named is shown by name rather than as "other". When there is a pool, a model itself called "other" is in it:
    /// shown by name too, it was a second "other" beside the pool (found by probing the report).
    /// </summary>
    private static List<ModelMetrics> Pooled(List<ModelMetrics> models, int top, Measures measures, int costliest = 0)
    {
        if (models.Count <= top + 1) return models;
        var candidates = models.Where(m => m.Model != Other).ToList();
        var named = candidates.Take(top)
            .Concat(candidates.Where(m => m.EstCostUsd > 0).OrderByDescending(m => m.EstCostUsd).ThenBy(m => m.Model, StringComparer.Ordinal).Take(costliest))
            .Select(m => m.Model).ToHashSet(StringComparer.Ordinal);
        var rest = models.Where(m => !named.Contains(m.Model)).ToList();
        if (rest.Count <= 1) return models;
        var restCosts = rest.Where(m => m.EstCostUsd is not null).ToList();
        var pooled = new ModelMetrics
        {
            Model = Other,
            Calls = rest.Sum(m => m.Calls),
            StreamedCalls = rest.Sum(m => m.StreamedCalls),
            CallsWithUsage = rest.Sum(m => m.CallsWithUsage),
            PromptTokens = rest.Sum(m => m.PromptTokens),
            CompletionTokens = rest.Sum(m => m.CompletionTokens),
            TotalTokens = rest.Sum(m => m.TotalTokens),
            CallsWithMaxTokens = rest.Sum(m => m.CallsWithMaxTokens),
            HitMaxTokensCalls = rest.Sum(m => m.HitMaxTokensCalls),
            CallsWithMaxTokensUse = rest.Sum(m => m.CallsWithMaxTokensUse),
            EstCostUsd = restCosts.Count == 0 ? null : restCosts.Sum(m => m.EstCostUsd!.Value),
            UnpricedCalls = rest.Sum(m => m.UnpricedCalls),
        };
        return [.. models.Where(m => named.Contains(m.Model)), WithDistributions(pooled, measures, rest.Select(m => m.Model).ToList())];
    }

    private static ModelMetrics WithDistributions(ModelMetrics m, Measures measures, IReadOnlyList<string> models)
    {
        var latency = measures.Of(Measures.Latency, models);
        var streamed = measures.Of(Measures.TtftStreamed, models);
        var nonStreamed = measures.Of(Measures.TtftNonStreamed, models);
        var rate = measures.Of(Measures.OutputTokensPerS, models);
        return m with
        {
            P50LatencyS = latency.Percentile(0.5),
            P95LatencyS = latency.Percentile(0.95),
            AvgTtftStreamedS = streamed.Mean,
            P95TtftStreamedS = streamed.Percentile(0.95),
            AvgTtftNonStreamedS = nonStreamed.Mean,
            P95TtftNonStreamedS = nonStreamed.Percentile(0.95),
            AvgOutputTokensPerS = rate.Mean,
            P50OutputTokensPerS = rate.Percentile(0.5),
        };
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
