using ScottPlot;
using static LlmLog.Report.Charts.ChartStyle;

namespace LlmLog.Report.Charts;

/// <summary>Charts with one group of horizontal bars per model (top N, the rest as "other").</summary>
internal static class ModelCharts
{
    public static ChartFigure TotalTokens(ReportData data, IReadOnlyList<ModelMetrics> models)
    {
        if (models.All(m => m.TotalTokens == 0)) return ChartFigure.Empty("model-tokens", "Total tokens by model", "No call in the selection reports token usage.");
        var alt = $"Horizontal bars of total tokens per model: {string.Join("; ", models.Select(m => $"{m.Model} {N(m.TotalTokens)}"))}. {Leader(data, models)}";
        return new ChartFigure("model-tokens", "Total tokens by model", alt, () =>
        {
            var plot = New("Tokens", "Model");
            Counts(plot.Axes.Bottom);
            Grouped(plot, models, [("total tokens", m => m.TotalTokens)]);
            return plot;
        });
    }

    /// <summary>
    /// Which model uses the most tokens, or which models when several use exactly as many. The pooled "other" is not a
    /// model, so it is never named as the one; when it holds more than the top model the caption says so. One model has
    /// no rival: its tokens per call say more.
    /// </summary>
    private static string Leader(ReportData data, IReadOnlyList<ModelMetrics> models)
    {
        if (models.Count == 1)
        {
            // The selection is that model's, so the selection's count of calls with a total is its own: a call that
            // logs only its prompt or completion tokens has usage but adds nothing to the total.
            var only = models[0];
            var withTotal = data.Kpis.CallsWithTotalTokens;
            var perCall = withTotal == 0 ? "" : $", {N(Math.Round((double)only.TotalTokens / withTotal))} per call";
            var partial = only.CallsWithUsage - withTotal;
            return partial <= 0
                ? $"The selection has one model: {N(only.TotalTokens)} tokens over {Format.Counted(only.CallsWithUsage, "call that reports", "calls that report")} usage{perCall}."
                : $"The selection has one model: {N(only.TotalTokens)} tokens over {Format.Counted(withTotal, "call that reports", "calls that report")} a total{perCall}; "
                  + $"{Format.Counted(partial, "more call reports", "more calls report")} only part of {(partial == 1 ? "its" : "their")} usage.";
        }
        var all = models.Sum(m => m.TotalTokens);
        var named = models.Where(m => m.Model != ReportBuilder.Other).ToList();
        var top = named.MaxBy(m => m.TotalTokens)!;
        // Models with exactly as many tokens are named together: of two with 2,000 each, "model-a uses the most, 50.0% of
        // all tokens" named the first (found by probing the report).
        var tied = named.Where(m => m.TotalTokens == top.TotalTokens).Select(m => m.Model).ToList();
        var share = Format.Share((double)top.TotalTokens / all);
        var leader = tied.Count == 1 ? $"{top.Model} uses the most, {share} of all tokens"
            : tied.Count <= 3 ? $"{Format.And(tied)} use the most, {share} of all tokens each"
            : $"{N(tied.Count)} models use the most, {share} of all tokens each: {string.Join(", ", tied.Take(3))} and {N(tied.Count - 3)} more";
        var other = models.FirstOrDefault(m => m.Model == ReportBuilder.Other);
        if (other is null || other.TotalTokens <= top.TotalTokens) return leader + ".";
        var pooled = data.Models.Count - (models.Count - 1);
        return $"Of the models named, {leader}; the {N(pooled)} models pooled as other use more together, {Format.Share((double)other.TotalTokens / all)}.";
    }

    public static ChartFigure PromptVsCompletion(ReportData data, IReadOnlyList<ModelMetrics> models)
    {
        if (models.All(m => m.TotalTokens == 0)) return ChartFigure.Empty("model-prompt-completion", "Prompt vs completion tokens by model", "No call in the selection reports token usage.");
        var alt = "Stacked horizontal bars of prompt and completion tokens per model: "
            + string.Join("; ", models.Select(m => $"{m.Model} {N(m.PromptTokens)} prompt, {N(m.CompletionTokens)} completion")) + ".";
        return new ChartFigure("model-prompt-completion", "Prompt vs completion tokens by model", alt, () =>
        {
            var plot = New("Tokens", "Model");
            Counts(plot.Axes.Bottom);
            var bars = new List<Bar>();
            for (var i = 0; i < models.Count; i++)
            {
                bars.Add(new Bar { Position = Row(i, models.Count), ValueBase = 0, Value = models[i].PromptTokens, FillColor = ColorOf(0, "prompt"), Size = 0.7, LineWidth = 0 });
                bars.Add(new Bar { Position = Row(i, models.Count), ValueBase = models[i].PromptTokens, Value = models[i].PromptTokens + models[i].CompletionTokens, FillColor = ColorOf(1, "completion"), Size = 0.7, LineWidth = 0 });
            }
            plot.Add.Bars(bars).Horizontal = true;
            LeftCategories(plot, models.Select(m => m.Model).ToList());
            plot.Axes.Margins(left: 0);
            RoomForLastBottomTick(plot);
            Legend(plot, [("prompt", ColorOf(0, "prompt")), ("completion", ColorOf(1, "completion"))]);
            return plot;
        });
    }

    public static ChartFigure Ttft(ReportData data, IReadOnlyList<ModelMetrics> models)
    {
        const string Id = "model-ttft";
        const string Title = "Time to first token by model, streamed vs non-streamed";
        if (models.All(m => m.AvgTtftStreamedS is null && m.AvgTtftNonStreamedS is null)) return ChartFigure.Empty(Id, Title, "No call in the selection reports a time to first token.");
        // A log axis has no place for 0 s: with every time to first token at 0 the chart had no dot and the report
        // stopped with an internal error (found by probing parity).
        if (models.All(m => new[] { m.AvgTtftStreamedS, m.P95TtftStreamedS, m.AvgTtftNonStreamedS, m.P95TtftNonStreamedS }.All(v => v is not > 0)))
        {
            return ChartFigure.Empty(Id, Title, "Every time to first token in the selection is 0 s, which a log scale cannot show.");
        }
        var alt = "Dots of average and p95 time to first token per model on a log seconds axis, streamed and non-streamed calls apart (for non-streamed calls TTFT is the whole call): "
            + string.Join("; ", models.Select(m => $"{m.Model} streamed avg {S(m.AvgTtftStreamedS)} p95 {S(m.P95TtftStreamedS)}, non-streamed avg {S(m.AvgTtftNonStreamedS)} p95 {S(m.P95TtftNonStreamedS)}")) + ".";
        return new ChartFigure(Id, Title, alt, () =>
        {
            // Non-streamed TTFT is the whole call and runs to minutes; on a linear axis streamed TTFT would be
            // a sliver. A log axis with one dot per figure keeps both readable side by side.
            var plot = New("Seconds (log scale)", "Model");
            var series = new (string Name, Func<ModelMetrics, double?> Value, MarkerShape Shape, double Offset)[]
            {
                ("streamed avg", m => m.AvgTtftStreamedS, MarkerShape.FilledCircle, 0.14),
                ("streamed p95", m => m.P95TtftStreamedS, MarkerShape.FilledTriangleUp, 0.14),
                ("non-streamed avg", m => m.AvgTtftNonStreamedS, MarkerShape.FilledSquare, -0.14),
                ("non-streamed p95", m => m.P95TtftNonStreamedS, MarkerShape.FilledDiamond, -0.14),
            };
            var all = new List<double>();
            for (var s = 0; s < series.Length; s++)
            {
                var points = models.Select((m, i) => (Row: Row(i, models.Count) + series[s].Offset, Value: series[s].Value(m)))
                    .Where(p => p.Value is > 0).ToList();
                if (points.Count == 0) continue;
                all.AddRange(points.Select(p => p.Value!.Value));
                var dots = plot.Add.ScatterPoints(points.Select(p => Math.Log10(p.Value!.Value)).ToArray(), points.Select(p => p.Row).ToArray(), ColorOf(s, series[s].Name));
                dots.MarkerShape = series[s].Shape;
                dots.MarkerSize = 9;
                dots.LegendText = series[s].Name;
            }
            LeftCategories(plot, models.Select(m => m.Model).ToList());
            var lo = Math.Floor(Math.Log10(all.Min()));
            var hi = Math.Ceiling(Math.Log10(all.Max()));
            if (hi <= lo) hi = lo + 1;
            LogSecondsTicks(plot, lo, hi);
            // Ticks at powers of ten; the frame a little beyond them, so a value just under one keeps its whole marker.
            var pad = (hi - lo) * 0.04;
            plot.Axes.SetLimitsX(lo - pad, hi + pad);
            plot.Axes.SetLimitsY(-0.6, models.Count - 0.4);
            SeriesLegend(plot, 4);
            return plot;
        });
    }

    public static ChartFigure OutputSpeed(ReportData data, IReadOnlyList<ModelMetrics> models)
    {
        const string Id = "model-output-speed";
        const string Title = "Output tokens per second by model";
        if (models.All(m => m.AvgOutputTokensPerS is null)) return ChartFigure.Empty(Id, Title, "No call in the selection has both completion tokens and a latency.");
        var alt = "Horizontal bars of output tokens per second (completion tokens / latency) per model, mean and median: "
            + string.Join("; ", models.Select(m => $"{m.Model} mean {Rate(m.AvgOutputTokensPerS)}, median {Rate(m.P50OutputTokensPerS)}")) + ".";
        return new ChartFigure(Id, Title, alt, () =>
        {
            var plot = New("Output tokens per second", "Model");
            Grouped(plot, models, [("mean", m => m.AvgOutputTokensPerS), ("median", m => m.P50OutputTokensPerS)]);
            return plot;
        });
    }

    private static string Rate(double? v) => v is null ? "n/a" : Format.Number(v) + " tokens/s";

    /// <summary>One group of horizontal bars per model, one bar per series.</summary>
    private static void Grouped(Plot plot, IReadOnlyList<ModelMetrics> models, (string Name, Func<ModelMetrics, double?> Value)[] series)
    {
        var bars = new List<Bar>();
        var width = 0.8 / series.Length;
        for (var m = 0; m < models.Count; m++)
        {
            for (var s = 0; s < series.Length; s++)
            {
                if (series[s].Value(models[m]) is not { } v) continue;
                var color = series.Length == 1 ? ColorOf(m, models[m].Model) : ColorOf(s, series[s].Name);
                bars.Add(new Bar { Position = Row(m, models.Count) + 0.4 - width * (s + 0.5), ValueBase = 0, Value = v, FillColor = color, Size = width * 0.95, LineWidth = 0 });
            }
        }
        plot.Add.Bars(bars).Horizontal = true;
        LeftCategories(plot, models.Select(m => m.Model).ToList());
        plot.Axes.Margins(left: 0);
        RoomForLastBottomTick(plot);
        if (series.Length > 1) Legend(plot, series.Select((s, i) => (s.Name, ColorOf(i, s.Name))));
    }
}
