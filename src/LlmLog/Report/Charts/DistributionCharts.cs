using System.Globalization;
using ScottPlot;
using static LlmLog.Report.Charts.ChartStyle;

namespace LlmLog.Report.Charts;

/// <summary>Charts of how single calls are distributed: temperature, request type, latency, max_tokens use.</summary>
internal static class DistributionCharts
{
    /// <summary>Up to this many distinct temperatures (0 to 2 in steps of 0.1) get a bar each; beyond it they are binned.</summary>
    private const int MaxTemperatureBars = 21;

    private const int MaxTemperatureBins = 20;

    // Round widths, the narrowest that gives at most MaxTemperatureBins bins is taken: 0.1 for settings spread over 0 to 2.
    private static readonly decimal[] TemperatureBinWidths = [0.05m, 0.1m, 0.2m, 0.25m, 0.5m, 1m, 2m, 2.5m, 5m, 10m, 20m, 25m, 50m, 100m];

    public static ChartFigure Temperature(ReportData data)
    {
        var settings = data.Distributions.Temperatures;
        var set = settings.Where(x => x.Value is not null).Select(x => (Value: x.Value!.Value, x.Calls)).ToList();
        if (set.Count > MaxTemperatureBars) return TemperatureHistogram(set, settings.Sum(x => x.Calls) - set.Sum(x => x.Calls));
        var t = settings.Select(x => (Label: x.Value is { } v ? Setting(v) : "not set", x.Calls)).ToList();
        var top = t.MaxBy(x => x.Calls);
        var alt = $"Bars of calls per temperature setting: {string.Join("; ", t.Select(x => $"{x.Label}: {N(x.Calls)}"))}. Most common: {top.Label}.";
        return new ChartFigure("temperature", "Temperature distribution", alt, () => Categories("Temperature", t));
    }

    /// <summary>
    /// Temperatures of too many distinct values for a bar each (a client that draws them at random): a histogram of a
    /// few bins, and the calls that set none as a bar apart.
    /// </summary>
    private static ChartFigure TemperatureHistogram(List<(decimal Value, long Calls)> set, long unset)
    {
        var min = set.Min(x => x.Value);
        var max = set.Max(x => x.Value);
        var width = TemperatureBinWidths.FirstOrDefault(w => Bins(min, max, w) <= MaxTemperatureBins, TemperatureBinWidths[^1]);
        var lo = Math.Floor(min / width) * width;
        var bins = Bins(min, max, width);
        var counts = new long[bins];
        // A bin holds its lower edge; the last one its upper edge too, so 2.0 is not a bin of its own.
        foreach (var (value, calls) in set) counts[Math.Min((int)Math.Floor((value - lo) / width), bins - 1)] += calls;
        string Edge(decimal v) => v.ToString("0.0#", CultureInfo.InvariantCulture);
        string Bin(int i) => $"{Edge(lo + width * i)}–{Edge(lo + width * (i + 1))}";
        var busiest = Enumerable.Range(0, bins).Where(i => counts[i] > 0).OrderByDescending(i => counts[i]).ThenBy(i => i).Take(3)
            .Select(i => $"{Bin(i)} ({N(counts[i])})");
        var alt = $"Histogram of calls per temperature setting: {N(set.Count)} distinct values from {Setting(min)} to {Setting(max)} in {bins} bins {Edge(width)} wide, "
            + $"each holding its lower edge (the last also its upper). Most calls: {string.Join(", ", busiest)}.{(unset > 0 ? $" Not set: {Format.Counted(unset, "call")}." : "")}";
        return new ChartFigure("temperature", "Temperature distribution", alt, () =>
        {
            var plot = New("Temperature", "Calls");
            Counts(plot.Axes.Left);
            var (start, w) = ((double)lo, (double)width);
            var bars = counts.Select((c, i) => new Bar { Position = start + w * (i + 0.5), Value = c, Size = w * 0.92, FillColor = ColorOf(0, "temperature"), LineWidth = 0 }).ToList();
            // "not set" is no temperature: its bar stands a bin's width apart from the last edge.
            var notSet = start + w * (bins + 1.5);
            if (unset > 0) bars.Add(new Bar { Position = notSet, Value = unset, Size = w * 0.92, FillColor = ColorOf(0, "not set"), LineWidth = 0 });
            plot.Add.Bars(bars);
            var edges = Enumerable.Range(0, bins + 1).Select(i => (Position: start + w * i, Label: Edge(lo + width * i))).ToList();
            List<(double, string)> notSetTick = unset > 0 ? [(notSet, "not set")] : [];
            SpacedBottomTicks(plot, new[] { 1, 2, 4, 5, 10, 20 }.Select(every => edges.Where((_, i) => i % every == 0).Concat(notSetTick).ToList()).ToList());
            plot.Axes.Margins(bottom: 0);
            return plot;
        });
    }

    // A setting as the client chose it, to the decimals it is told apart by: 0.196 was labelled 0.2, beside a bar of 0.2.
    private static string Setting(decimal value) => value.ToString("0.0#####", CultureInfo.InvariantCulture);

    private static int Bins(decimal min, decimal max, decimal width) => Math.Max(1, (int)Math.Ceiling((max - Math.Floor(min / width) * width) / width));

    /// <summary>
    /// Horizontal bars, so request type names have the room of the left axis; at most <see cref="MaxCategories"/> of
    /// them, the least frequent pooled as "other".
    /// </summary>
    public static ChartFigure RequestTypes(ReportData data)
    {
        var all = data.Distributions.RequestTypes;
        var total = all.Sum(x => x.Calls);
        var shown = TopCategories(all);
        var pooled = all.Count - shown.Count + 1;
        var folded = shown.Count < all.Count;
        var items = shown.Select((x, i) => $"{(folded && i == shown.Count - 1 ? $"the other {N(pooled)} types" : x.Label)}: {N(x.Calls)} ({Format.Share((double)x.Calls / total)})");
        var alt = folded
            ? $"Horizontal bars of calls per request type, the {shown.Count - 1} most frequent of {N(all.Count)} and the other {N(pooled)} pooled as other: {string.Join("; ", items)}."
            : $"Horizontal bars of calls per request type: {string.Join("; ", items)}.";
        return new ChartFigure("request-types", "Request type distribution", alt, () =>
        {
            var plot = New("Calls", "Request type");
            Counts(plot.Axes.Bottom);
            var bars = shown.Select((x, i) => new Bar { Position = Row(i, shown.Count), Value = x.Calls, Size = 0.7, FillColor = ColorOf(0, x.Label), LineWidth = 0 }).ToList();
            plot.Add.Bars(bars).Horizontal = true;
            LeftCategories(plot, shown.Select(x => x.Label).ToList());
            plot.Axes.Margins(left: 0);
            RoomForLastBottomTick(plot);
            return plot;
        });
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
