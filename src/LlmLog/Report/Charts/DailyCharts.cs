using ScottPlot;
using static LlmLog.Report.Charts.ChartStyle;

namespace LlmLog.Report.Charts;

/// <summary>Charts with one bar or point per day: calls, tokens, latency, cost.</summary>
internal static class DailyCharts
{
    public static ChartFigure CallsByRequestType(ReportData data)
    {
        var days = data.ChartedDays;
        var types = TopN(days.SelectMany(d => d.CallsByRequestType.Select(kv => (kv.Key, (double)kv.Value))), 5);
        var peak = days.OrderByDescending(d => d.Calls).First();
        // "peak 200 on 2025-03-01" named the first of 29 days of 200 calls, a partial one (found by probing the report).
        var peakDays = days.Where(d => d.Calls == peak.Calls).Select(Named).ToList();
        var peakText = peakDays.Count switch
        {
            1 => $"peak {N(peak.Calls)} on {peakDays[0]}",
            <= 3 => $"peak {N(peak.Calls)} on {Format.And(peakDays)}",
            _ => $"peak {N(peak.Calls)} on {Format.Counted(peakDays.Count, "day")}",
        };
        // One day is its own peak: "2025-02-28 to 2025-02-28: 2,000 calls, peak 2,000 on 2025-02-28" (found by review).
        var alt = $"Stacked bars of calls per day by request type ({string.Join(", ", types)}), {Period(days)}: {Format.Counted(days.Sum(d => d.Calls), "call")}{(days.Count > 1 ? ", " + peakText : "")}.{LeftOutNote(data)}";
        return new ChartFigure("daily-calls", "Daily calls by request type", alt, () =>
        {
            var plot = New($"Day ({data.Header.TimeZone})", "Calls per day");
            Counts(plot.Axes.Left);
            var byDay = days.ToDictionary(d => d.Day);
            Stack(plot, days.Select(d => d.Day).ToList(), types, (day, type) =>
                byDay[day].CallsByRequestType.Where(kv => Fold(kv.Key, types) == type).Sum(kv => kv.Value));
            return plot;
        });
    }

    /// <summary>
    /// The model mix over time: a new model taking over the traffic showed in no chart over time, and where it was unpriced,
    /// the cost per day seemed to halve (found by probing the report). The models of the other charts, in their colours.
    /// </summary>
    public static ChartFigure CallsByModel(ReportData data)
    {
        var days = data.ChartedDays;
        var charted = data.ChartModels.Select(m => m.Model).ToList();
        // The mix of the first and last days that hold a day's calls: two partial edge days of a steady mix read as a shift
        // (found by probing the report).
        var comparable = Findings.Comparable(days).Days;
        var (first, last) = comparable.Count > 0 ? (comparable[0], comparable[^1]) : (days[0], days[^1]);
        var alt = $"Stacked bars of calls per day by model ({string.Join(", ", charted)}), {Period(days)}: "
            + $"{Format.Counted(days.Sum(d => d.Calls), "call")}; the most calls went to {Leader(first)}{(days.Count > 1 ? " on " + Named(first) : "")}"
            + (first.Day == last.Day ? "" : $" and to {Leader(last)} on {Named(last)}") + $".{LeftOutNote(data)}";
        return new ChartFigure("daily-models", "Daily calls by model", alt, () =>
        {
            var plot = New($"Day ({data.Header.TimeZone})", "Calls per day");
            Counts(plot.Axes.Left);
            // Summed once per day and series, as the cost chart's: folding every model of a day for each bar costs the square of
            // the models.
            var sums = days.SelectMany(d => d.CallsByModel.Select(kv => (d.Day, Series: Fold(kv.Key, charted), Calls: kv.Value)))
                .GroupBy(x => (x.Day, x.Series)).ToDictionary(g => g.Key, g => (double)g.Sum(x => x.Calls));
            Stack(plot, days.Select(d => d.Day).ToList(), charted, (day, model) => sums.GetValueOrDefault((day, model)),
                model => ColorOf(charted.IndexOf(model), model));
            return plot;
        });

        // The model with the most calls of the day and its share: "gpt-4o (80%)". A model literally called "other" is said to
        // be one: "other (40%)" read as the chart's pool of models, whose bar is taller (found by review). Models with as
        // many calls are named together, by name: a day of one call each of two models read "the most calls went to model-a
        // (50.0%)" (found by probing the report).
        static string Leader(ReportDay day)
        {
            var top = day.CallsByModel.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).FirstOrDefault();
            if (top.Key is null || day.Calls == 0) return "unknown";
            var tied = day.CallsByModel.Where(kv => kv.Value == top.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal)
                .Select(m => m == ReportBuilder.Other ? $"the model named “{ReportBuilder.Other}”" : m).ToList();
            var share = Format.Share((double)top.Value / day.Calls);
            return tied.Count switch
            {
                1 => $"{tied[0]} ({share})",
                <= 3 => $"{Format.And(tied)} ({share} each)",
                _ => $"{string.Join(", ", tied.Take(3))} and {N(tied.Count - 3)} more models ({share} each)",
            };
        }
    }

    public static ChartFigure Tokens(ReportData data)
    {
        var days = data.ChartedDays;
        if (days.All(d => (d.PromptTokens ?? 0) + (d.CompletionTokens ?? 0) == 0)) return ChartFigure.Empty("daily-tokens", "Daily tokens, prompt vs completion", "No call in the selection reports token usage." + LeftOutNote(data));
        // The largest day by what the bars stack, prompt and completion: by total_tokens, which a call may report otherwise,
        // the caption named a day the bars did not show as the tallest (found by probing the report).
        static long Drawn(ReportDay d) => (d.PromptTokens ?? 0) + (d.CompletionTokens ?? 0);
        var largest = days.MaxBy(Drawn)!;
        var alt = $"Stacked bars of tokens per day: {N(days.Sum(d => d.PromptTokens ?? 0))} prompt and {N(days.Sum(d => d.CompletionTokens ?? 0))} completion tokens in total{(days.Count > 1 ? $"; the largest day is {Named(largest)} with {N(Drawn(largest))} prompt and completion tokens" : $", on {Named(largest)}")}.{LeftOutNote(data)}";
        return new ChartFigure("daily-tokens", "Daily tokens, prompt vs completion", alt, () =>
        {
            var plot = New($"Day ({data.Header.TimeZone})", "Tokens per day");
            Counts(plot.Axes.Left);
            var byDay = days.ToDictionary(d => d.Day);
            Stack(plot, days.Select(d => d.Day).ToList(), ["prompt", "completion"], (day, part) =>
            {
                var d = byDay[day];
                return (part == "prompt" ? d.PromptTokens : d.CompletionTokens) ?? 0;
            });
            return plot;
        });
    }

    public static ChartFigure Latency(ReportData data)
    {
        var days = data.ChartedDays;
        if (days.All(d => d.P50LatencyS is null)) return ChartFigure.Empty("daily-latency", "Daily latency p50 / p95 and TTFT p95", "No call in the selection has start and end times, so latency is unknown." + LeftOutNote(data));
        var worst = days.Where(d => d.P95LatencyS is not null).MaxBy(d => d.P95LatencyS)!;
        var series = new (string Name, Func<ReportDay, double?> Value)[]
        {
            ("latency p50", d => d.P50LatencyS),
            ("latency p95", d => d.P95LatencyS),
            ("TTFT p95, streamed", d => d.P95TtftStreamedS),
        };
        var broken = series.Any(s => ConsecutiveRuns(days.Where(d => s.Value(d) is not null), d => d.Day).Count > 1);
        var worstText = days.Count > 1 ? $"p95 latency ranges up to {S(worst.P95LatencyS)} on {Named(worst)}" : $"one day, {Named(worst)}";
        var alt = $"Lines of daily latency percentiles: {worstText}; overall p50 is {S(data.Kpis.P50LatencyS)}, p95 {S(data.Kpis.P95LatencyS)}, streamed TTFT p95 {S(data.Kpis.P95TtftStreamedS)}.{(broken ? " Lines break at days without a value." : "")}{LeftOutNote(data)}";
        return new ChartFigure("daily-latency", "Daily latency p50 / p95 and TTFT p95 (streamed)", alt, () =>
        {
            var plot = New($"Day ({data.Header.TimeZone})", "Seconds");
            var drawn = 0;
            for (var i = 0; i < series.Length; i++)
            {
                var points = days.Where(d => series[i].Value(d) is not null).ToList();
                if (points.Count == 0) continue;
                // One line per run of consecutive days: a line across days without calls would show values that were never measured.
                var runs = ConsecutiveRuns(points, d => d.Day);
                foreach (var run in runs)
                {
                    var line = plot.Add.Scatter(run.Select(d => X(d.Day)).ToArray(), run.Select(d => series[i].Value(d)!.Value).ToArray(), ColorOf(i, series[i].Name));
                    if (ReferenceEquals(run, runs[0])) line.LegendText = series[i].Name;
                    line.LineWidth = 2;
                    // A lone day is a point with no line through it: it needs its marker to be seen.
                    line.MarkerSize = days.Count > 60 && run.Count > 1 ? 0 : 5;
                }
                drawn++;
            }
            DayTicks(plot, days.Select(d => d.Day).ToList());
            // Seconds are read against zero: an axis from the lowest value draws a p50 of 3 s on the bottom frame, as if it were 0.
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top);
            SeriesLegend(plot, drawn);
            return plot;
        });
    }

    public static ChartFigure CostByModel(ReportData data)
    {
        const string Id = "daily-cost";
        var cost = data.Cost;
        if (cost.Source == CostSource.None || cost.Rows.Count == 0)
        {
            // Without usage a price has no tokens to apply to, whatever the price table holds.
            return ChartFigure.Empty(Id, "Estimated cost per day by model", data.Kpis.CallsWithUsage == 0
                ? "No cost is known: no call reports its token usage, which a price is applied to, and none logs a cost."
                : data.Cost.UnpricedWithoutSplitCalls == data.Kpis.UnpricedCalls
                    ? "No cost is known: no call logs a cost, and none logs the prompt/completion split of its tokens that a price is applied to."
                    : data.Cost.UnpricedWithoutSplitCalls == 0
                        ? "No cost is known: no call logs a cost and none matches a model in the price table (see llmlog transform --prices)."
                        : "No cost is known: no call logs a cost, and each either matches no model in the price table or logs no prompt/completion split (see the findings).");
        }
        var zone = data.Header.TimeZone;
        var title = cost.Source == CostSource.Estimated ? "Estimated cost per day by model" : "Logged cost per day by model";
        var rows = cost.Rows.Where(r => data.ChartPeriod.Contains(r.Day)).ToList();
        if (rows.Count == 0)
        {
            return ChartFigure.Empty(Id, title, "No cost is known for the days charted." + LeftOutNote(data));
        }
        // No bar to draw: the axis ran from $-10 to $10 with no day on it (found by probing the report). Calls without a
        // cost are not $0: "every known cost is $0" beside 30 calls without a price read as a free month (found by probing).
        if (rows.All(r => r.Usd is not > 0))
        {
            var unpriced = data.ChartedDays.Sum(d => d.UnpricedCalls);
            var costUnknown = unpriced switch
            {
                0 => "",
                1 => "; 1 call with token usage has no price or logged cost, so its cost is unknown",
                _ => $"; {N(unpriced)} calls with token usage have no price or logged cost, so their cost is unknown",
            };
            return ChartFigure.Empty(Id, title, $"Every known cost of the days charted is $0 ({Format.Counted(rows.Select(r => r.Day).Distinct().Count(), "day")} with a known cost){costUnknown}." + LeftOutNote(data));
        }
        // The models of the other charts, in their order (by calls) and so in their colours, not ranked by cost:
        // a model is one colour throughout the report.
        var charted = data.ChartModels.Select(m => m.Model).ToList();
        var costed = rows.Select(r => Fold(r.Model, charted)).ToHashSet();
        var models = charted.Where(costed.Contains).ToList();
        // The axis is the chart period's, as every daily chart's: from the days with a known cost alone, one bar filled the
        // width, dated 03-01 without its year, beside charts from 2024-03 to 2025-03 (found by probing the report).
        var days = data.ChartedDays.Select(d => d.Day).ToList();
        // A total that leaves out calls with usage but no price is a floor, written as the tables write it.
        var total = ReportContent.Cost(rows.Sum(r => r.Usd), data.ChartedDays.Sum(d => d.UnpricedCalls));
        // Over the charted days, not only those with a known cost: "over 364 days" of a 365-day period (found by probing).
        var unknown = data.ChartedDays.Count - rows.Select(r => r.Day).Distinct().Count();
        var over = Format.Counted(data.ChartedDays.Count, "day") + (unknown > 0 ? $" (no cost known on {Format.Counted(unknown, "day")} of them)" : "");
        var alt = $"Stacked bars of {(cost.Source == CostSource.Estimated ? "estimated" : "logged")} cost in USD per {zone} day by model ({string.Join(", ", models)}): {total} in total over {over}.{LeftOutNote(data)}";
        return new ChartFigure(Id, title, alt, () =>
        {
            var plot = New($"Day ({zone})", "Cost (USD)");
            Dollars(plot.Axes.Left);
            // Summed once per day and series: a scan of every row per bar took 0.13 s at 365 days and nine models.
            var sums = rows.GroupBy(r => (r.Day, Series: Fold(r.Model, charted))).ToDictionary(g => g.Key, g => g.Sum(r => r.Usd));
            Stack(plot, days, models, (day, model) => sums.GetValueOrDefault((day, model)), model => ColorOf(charted.IndexOf(model), model));
            // The bars alone would set the axis: the chart period's first and last day have calls, not always a cost.
            plot.Axes.AutoScale();
            var limits = plot.Axes.GetLimits();
            plot.Axes.SetLimitsX(Math.Min(limits.Left, X(days[0]) - 0.5), Math.Max(limits.Right, X(days[^1]) + 0.5));
            return plot;
        });
    }

    /// <summary>Stacked bars, one per day, one segment per series, with a legend when there are several series.</summary>
    internal static void Stack(Plot plot, IReadOnlyList<DateOnly> days, IReadOnlyList<string> series, Func<DateOnly, string, double> value, Func<string, Color>? colorOf = null)
    {
        var colors = series.Select((s, i) => colorOf?.Invoke(s) ?? ColorOf(i, s)).ToList();
        var bars = new List<Bar>();
        foreach (var day in days)
        {
            double baseValue = 0;
            for (var i = 0; i < series.Count; i++)
            {
                var v = value(day, series[i]);
                if (v <= 0) continue;
                bars.Add(new Bar { Position = X(day), ValueBase = baseValue, Value = baseValue + v, FillColor = colors[i], Size = 0.8, LineWidth = 0 });
                baseValue += v;
            }
        }
        plot.Add.Bars(bars);
        DayTicks(plot, days);
        plot.Axes.Margins(bottom: 0);
        Legend(plot, series.Select((s, i) => (s, colors[i])));
    }
}
