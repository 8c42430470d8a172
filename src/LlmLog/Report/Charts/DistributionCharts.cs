using System.Globalization;
using ScottPlot;
using static LlmLog.Report.Charts.ChartStyle;

namespace LlmLog.Report.Charts;

/// <summary>Charts of how single calls are distributed: temperature, request type, latency, max_tokens use.</summary>
internal static class DistributionCharts
{
    public static ChartFigure Temperature(ReportData data)
    {
        var t = data.Distributions.Temperatures;
        var top = t.MaxBy(x => x.Calls);
        var alt = $"Bars of calls per temperature setting: {string.Join("; ", t.Select(x => $"{x.Label}: {N(x.Calls)}"))}. Most common: {top.Label}.";
        return new ChartFigure("temperature", "Temperature distribution", alt, () => Categories("Temperature", t));
    }

    public static ChartFigure RequestTypes(ReportData data)
    {
        var t = data.Distributions.RequestTypes;
        var total = t.Sum(x => x.Calls);
        var alt = $"Bars of calls per request type: {string.Join("; ", t.Select(x => $"{x.Label}: {N(x.Calls)} ({Format.Share((double)x.Calls / total)})"))}.";
        return new ChartFigure("request-types", "Request type distribution", alt, () => Categories("Request type", t));
    }

    public static ChartFigure Latency(ReportData data)
    {
        const string Id = "latency-histogram";
        const string Title = "Latency distribution (log scale)";
        var h = data.Distributions.Latency;
        if (h.Calls - h.NotDrawn == 0) return ChartFigure.Empty(Id, Title, "No call in the selection has a positive latency.");
        var (lo, hi, width, counts) = (h.Lo, h.Hi, h.Width, h.Counts);
        var alt = $"Histogram of {Format.Counted(h.Calls, "call latency", "call latencies")} on a logarithmic seconds axis, from {S(h.MinS)} to {S(h.MaxS)}; median {S(h.P50S)}, p95 {S(h.P95S)}"
            + (h.NotDrawn > 0 ? $"; {Format.Counted(h.NotDrawn, "call")} with zero latency {(h.NotDrawn == 1 ? "is" : "are")} not drawn." : ".");
        return new ChartFigure(Id, Title, alt, () =>
        {
            var plot = New("Latency (seconds, log scale)", "Calls");
            Counts(plot.Axes.Left);
            var bars = counts.Select((c, i) => new Bar { Position = lo + width * (i + 0.5), Value = c, Size = width * 0.92, FillColor = ColorOf(0, "latency"), LineWidth = 0 }).ToList();
            plot.Add.Bars(bars);
            LogSecondsTicks(plot, lo, hi);
            plot.Axes.Margins(bottom: 0);
            return plot;
        });
    }

    public static ChartFigure MaxTokensUse(ReportData data)
    {
        const string Id = "max-tokens-use";
        const string Title = "max_tokens use: completion tokens / max_tokens";
        var use = data.Distributions.MaxTokensUse;
        if (use.Calls == 0) return ChartFigure.Empty(Id, Title, "No call in the selection sets max_tokens and reports completion tokens.");
        var hits = data.Distributions.HitMaxTokensCalls;
        // Ten bins of 10 % below the limit, and a bar of its own for calls that reached it.
        var counts = use.Counts;
        var alt = $"Histogram of completion tokens as a share of max_tokens for {Format.Counted(use.Calls, "call that sets a limit and reports", "calls that set a limit and report")} completion tokens; median {Pct(use.Median)}; {Format.Counted(counts[10], "call")} reached the limit ({N(hits)} marked as hitting max_tokens).";
        return new ChartFigure(Id, Title, alt, () =>
        {
            var plot = New("Completion tokens / max_tokens (%)", "Calls");
            Counts(plot.Axes.Left);
            var below = ColorOf(0, "below");
            var at = Color.FromHex("#d62728");
            var bars = counts.Select((c, i) => new Bar { Position = i, Value = c, Size = 0.85, FillColor = i == 10 ? at : below, LineWidth = 0 }).ToList();
            plot.Add.Bars(bars);
            var labels = Enumerable.Range(0, 10).Select(i => $"<{i * 10 + 10}").Append("hit").ToArray();
            BottomCategories(plot, labels);
            plot.Axes.Margins(bottom: 0);
            Legend(plot, [("below the limit", below), ($"hit the limit ({Format.Counted(counts[10], "call")})", at)]);
            return plot;
        });
    }

    private static Plot Categories(string xLabel, IReadOnlyList<(string Label, long Calls)> items)
    {
        var plot = New(xLabel, "Calls");
        Counts(plot.Axes.Left);
        var bars = items.Select((x, i) => new Bar { Position = i, Value = x.Calls, Size = 0.7, FillColor = ColorOf(0, x.Label), LineWidth = 0 }).ToList();
        plot.Add.Bars(bars);
        BottomCategories(plot, items.Select(x => x.Label).ToList());
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    private static string Pct(double? v) => v is null ? "n/a" : v.Value.ToString("0%", CultureInfo.InvariantCulture);
}
