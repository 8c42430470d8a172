using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LlmLog.Report.Charts;

/// <summary>The look every chart shares: font, palette, axis labels, date ticks and top-N folding.</summary>
internal static class ChartStyle
{
    // Nine colours, one for each model the charts can name (six by calls, two by cost, and one more rather than an "other"
    // of one): with eight, the ninth model took the first one's blue, and the eighth a grey beside "other"'s (found by
    // probing). Grey is "other"'s alone.
    private static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#bcbd22"),
        Color.FromHex("#17becf"),
    ];

    public static readonly Color OtherColor = Color.FromHex("#b0b0b0");

    /// <summary>Colour of the i-th series; "other" is always grey so it never competes with a named series.</summary>
    public static Color ColorOf(int index, string name) =>
        name == ReportBuilder.Other ? OtherColor : Palette[index % Palette.Length];

    /// <summary>A plot with axis labels; its title is the figure's heading (HTML h3, PDF), not drawn again inside.</summary>
    public static Plot New(string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        // ScottPlot's own labels follow the machine's culture ("30.000" under German); ours are invariant.
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = Number };
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = Number };
        plot.Grid.MajorLineColor = Color.FromHex("#e6e6e6");
        plot.Legend.FontSize = 12;
        return plot;
    }

    /// <summary>An axis that counts calls or tokens: whole-number ticks only, so one call never reads 0, 0.1 … 1.</summary>
    public static void Counts(IAxis axis) => axis.TickGenerator = new WholeTicks();

    /// <summary>An axis of US dollars: as many decimals as a tick needs, so a cheap model's axis reads $0.000002, not 2E-06.</summary>
    public static void Dollars(IAxis axis) => axis.TickGenerator = new NumericAutomatic { LabelFormatter = Usd };

    private static string Usd(double v) =>
        "$" + (v == Math.Round(v) ? Number(v) : Math.Round(v, 12).ToString("#,##0.00##########", CultureInfo.InvariantCulture));

    /// <summary>
    /// ScottPlot's automatic ticks without those between whole numbers. Its own IntegerTicksOnly casts each
    /// position to int, which drops every tick past 2,147,483,647, where token counts of large logs lie.
    /// </summary>
    private sealed class WholeTicks : ITickGenerator
    {
        private readonly NumericAutomatic _automatic = new() { LabelFormatter = Number };

        public Tick[] Ticks { get => _automatic.Ticks; set => _automatic.Ticks = value; }

        public int MaxTickCount { get => _automatic.MaxTickCount; set => _automatic.MaxTickCount = value; }

        public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
        {
            _automatic.Regenerate(range, edge, size, paint, labelStyle);
            _automatic.Ticks = _automatic.Ticks.Where(t => Math.Abs(t.Position - Math.Round(t.Position)) < 1e-9 * Math.Max(1, Math.Abs(t.Position))).ToArray();
        }
    }

    /// <summary>
    /// Day ticks at a readable spacing: at most five day labels, or month labels beyond four months, evenly spaced
    /// in calendar time (a pause in the data is not squeezed out of the axis, so neither are its ticks), and fewer
    /// where the chart is too narrow for them to stand apart. Rotated labels would collide with the axis title in
    /// ScottPlot's layout, so labels stay level and few.
    /// </summary>
    public static void DayTicks(Plot plot, IReadOnlyList<DateOnly> days)
    {
        var first = days[0];
        var last = days[^1];
        var span = last.DayNumber - first.DayNumber + 1;
        if (span > 121)
        {
            var months = (last.Year - first.Year) * 12 + last.Month - first.Month + 1;
            var starts = Enumerable.Range(1, months).Select(i => new DateOnly(first.Year, first.Month, 1).AddMonths(i)).Where(m => m <= last).ToList();
            SpacedBottomTicks(plot, Steps((int)Math.Ceiling(months / 5.0), [1, 2, 3, 4, 6, 12, 24, 60, 120])
                .Select(every => starts.Where((_, i) => i % every == 0).Select(m => (X(m), m.ToString("yyyy-MM", CultureInfo.InvariantCulture))).ToList()).ToList());
            return;
        }
        // Within one year the year is in the report's period; dropping it keeps labels apart beside a wide legend.
        var format = first.Year == last.Year ? "MM-dd" : "yyyy-MM-dd";
        SpacedBottomTicks(plot, Steps((int)Math.Ceiling(span / 5.0), [1, 2, 3, 4, 5, 7, 14, 21, 28, 42, 56, 91])
            .Select(every => Enumerable.Range(0, (span - 1) / every + 1).Select(i => first.AddDays(i * every))
                .Select(d => (X(d), d.ToString(format, CultureInfo.InvariantCulture))).ToList()).ToList());
    }

    // The step that gives at most five labels, then the rounder steps above it, each a candidate if labels collide.
    private static IEnumerable<int> Steps(int least, int[] round) => round.Where(s => s > least).Prepend(Math.Max(1, least));

    /// <summary>
    /// Bottom ticks from the first of <paramref name="candidates"/> (densest first) whose labels stand apart at the
    /// width the axis is drawn: that is known only when ScottPlot lays the chart out, beside a legend and model names
    /// of any length. If none does, the sparsest, less each label that would run into the one before it.
    /// </summary>
    public static void SpacedBottomTicks(Plot plot, IReadOnlyList<List<(double Position, string Label)>> candidates) =>
        plot.Axes.Bottom.TickGenerator = new SpacedTicks(candidates);

    private sealed class SpacedTicks(IReadOnlyList<List<(double Position, string Label)>> candidates) : ITickGenerator
    {
        public Tick[] Ticks { get; set; } = [];

        public int MaxTickCount { get; set; } = 10_000;

        public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
        {
            var span = range.Max - range.Min;
            var chosen = candidates[^1];
            if (span > 0 && size.Length > 0)
            {
                using var font = new SkiaSharp.SKFont(Fonts.GetTypeface(ChartFonts.Family, bold: false, italic: false), labelStyle.FontSize);
                var perUnit = size.Length / span;
                chosen = candidates.FirstOrDefault(set => StandApart(set, range, perUnit, font)) ?? Thinned(chosen, range, perUnit, font);
            }
            // ScottPlot draws every tick it is given, also those beyond the axis: a day's tick left of data that
            // starts late in that day was drawn left of the frame, its label cut by the image's edge.
            Ticks = chosen.Where(t => Inside(t.Position, range)).Select(t => Tick.Major(t.Position, t.Label)).ToArray();
        }

        private static bool Inside(double position, CoordinateRange range) => position >= range.Min && position <= range.Max;

        private static bool StandApart(List<(double Position, string Label)> set, CoordinateRange range, double perUnit, SkiaSharp.SKFont font) =>
            Thinned(set, range, perUnit, font).Count == set.Count(t => Inside(t.Position, range));

        // The labels from the left that stand apart from the last one kept, half an em between neighbours so that "50 s" and
        // "100 s" never read as "50 s100 s". Even the sparsest candidate can collide on a narrow chart: a log axis from
        // 0.0001 s to 10⁹ s beside a long model name printed "1,000,000 s" over "1,000,000,000 s" (found by probing the
        // report), so a label that would is left out rather than drawn over its neighbour.
        private static List<(double Position, string Label)> Thinned(List<(double Position, string Label)> set, CoordinateRange range, double perUnit, SkiaSharp.SKFont font)
        {
            var kept = new List<(double Position, string Label)>();
            double? right = null;
            foreach (var tick in set.Where(t => Inside(t.Position, range)).OrderBy(t => t.Position))
            {
                var x = (tick.Position - range.Min) * perUnit;
                var half = font.MeasureText(tick.Label) / 2;
                if (right is { } r && x - half < r + font.Size / 2) continue;
                kept.Add(tick);
                right = x + half;
            }
            return kept;
        }
    }

    /// <summary>Category labels on the left axis for horizontal bars (model names are long).</summary>
    public static void LeftCategories(Plot plot, IReadOnlyList<string> labels)
    {
        FallbackLabels.LeftTicks(plot, Enumerable.Range(0, labels.Count).Select(i => (double)Row(i, labels.Count)).ToArray(), labels.Select(l => ShortLabel(l, labels)).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
    }

    /// <summary>
    /// Room right of the frame for half the label of a tick on its right edge: ScottPlot centres the label on the
    /// tick and lets the rest run off the image ("8,000,0"). Without <paramref name="label"/>, the label of a
    /// numeric axis at its end; call that once every series is added.
    /// </summary>
    public static void RoomForLastBottomTick(Plot plot, string? label = null)
    {
        if (label is null)
        {
            plot.Axes.AutoScale();
            label = Number(plot.Axes.GetLimits().Right);
        }
        // 0.64 em is a digit's width in DejaVu Sans, wider than the separators between digits.
        plot.Axes.Right.MinimumSize = (float)(label.Length * 0.64 * plot.Axes.Bottom.TickLabelStyle.FontSize / 2);
    }

    /// <summary>Vertical position of the i-th of n horizontal bar groups: the first (largest) on top.</summary>
    public static double Row(int i, int n) => n - 1 - i;

    /// <summary>
    /// Category labels under vertical bars at 0, 1, 2 …: every one where they stand apart at the width the chart is laid
    /// out to, else every second, third … (kept for short ordered labels such as temperatures; long names go on the left).
    /// </summary>
    public static void BottomCategories(Plot plot, IReadOnlyList<string> labels)
    {
        // Bottom ticks are ScottPlot's alone (no fallback overlay): what the chart font lacks shows as □.
        var ticks = labels.Select((label, i) => ((double)i, Drawable(Shorten(label, labels), overlaid: false))).ToList();
        SpacedBottomTicks(plot, Steps(1, [2, 3, 4, 5, 10, 20, 50]).Select(every => ticks.Where((_, i) => i % every == 0).ToList()).ToList());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
    }

    /// <summary>The most categories a category chart draws: beyond it, one bar per category leaves no room for its label.</summary>
    public const int MaxCategories = 10;

    /// <summary>
    /// Categories ordered largest first, at most <see cref="MaxCategories"/>: the largest and the rest pooled as "other",
    /// which is never a single category (that one is shown by name). A category itself called "other" is then in the pool,
    /// never a second bar of that name.
    /// </summary>
    public static List<(string Label, long Calls)> TopCategories(IReadOnlyList<(string Label, long Calls)> ordered)
    {
        if (ordered.Count <= MaxCategories) return [.. ordered];
        var named = ordered.Where(c => c.Label != ReportBuilder.Other).Take(MaxCategories - 1).ToList();
        return [.. named, (ReportBuilder.Other, ordered.Sum(c => c.Calls) - named.Sum(c => c.Calls))];
    }

    public static void Legend(Plot plot, IEnumerable<(string Name, Color Color)> items)
    {
        var list = items.ToList();
        if (list.Count < 2) return;
        var names = list.Select(i => i.Name).ToList();
        foreach (var (name, color) in list) plot.Legend.ManualItems.Add(FallbackLabels.LegendItem(plot, ShortLabel(name, names), color));
        plot.ShowLegend(Edge.Right);
    }

    /// <summary>Legend from the series' own labels (lines), shown only when there is more than one.</summary>
    public static void SeriesLegend(Plot plot, int series)
    {
        if (series > 1) plot.ShowLegend(Edge.Right);
    }

    /// <summary>
    /// Seconds on a log axis (positions are log10 of seconds) at 1, 2 and 5 times each power of ten inside the range;
    /// where those labels would run together, 1 and 3 times, then powers of ten, then every second, third, fourth or sixth of them.
    /// </summary>
    public static void LogSecondsTicks(Plot plot, double lo, double hi)
    {
        List<(double, string)> At(int[] multiples, int everyDecade)
        {
            var ticks = new List<(double, string)>();
            for (var e = (int)Math.Floor(lo); e <= (int)Math.Ceiling(hi); e++)
            {
                if (((e % everyDecade) + everyDecade) % everyDecade != 0) continue;
                foreach (var m in multiples)
                {
                    var value = m * Math.Pow(10, e);
                    var x = Math.Log10(value);
                    if (x < lo - 1e-9 || x > hi + 1e-9) continue;
                    // Rounded to the tick's own digit: "0.###" wrote 0.0001 s as "0 s" and 0.0005 s as "0.001 s", two ticks
                    // both "0 s" below a millisecond (found by probing the report).
                    ticks.Add((x, value.ToString(value < 1 ? "0." + new string('#', Math.Max(1, -e)) : "N0", CultureInfo.InvariantCulture) + " s"));
                }
            }
            return ticks;
        }
        SpacedBottomTicks(plot, [At([1, 2, 5], 1), At([1, 3], 1), At([1], 1), At([1], 2), At([1], 3), At([1], 4), At([1], 6)]);
    }

    /// <summary>What a chart over time leaves out, for its caption: empty when it draws every day.</summary>
    public static string LeftOutNote(ReportData data)
    {
        var p = data.ChartPeriod;
        if (p.LeftOut.Count == 0) return "";
        var calls = p.LeftOutCalls;
        return $" Not drawn: {Format.Counted(calls, "call")} on {(p.LeftOut.Count == 1 && p.LeftOut[0].First == p.LeftOut[0].Last ? Label(p.LeftOut[0].First) : "days")} far outside {p.Text} (see Findings).";
    }

    /// <summary>Runs of consecutive days, so a line is broken where a day has no value rather than drawn across the gap.</summary>
    public static List<List<T>> ConsecutiveRuns<T>(IEnumerable<T> items, Func<T, DateOnly> day)
    {
        var runs = new List<List<T>>();
        foreach (var item in items)
        {
            if (runs.Count == 0 || day(runs[^1][^1]).DayNumber + 1 != day(item).DayNumber) runs.Add([]);
            runs[^1].Add(item);
        }
        return runs;
    }

    public static double X(DateOnly day) => day.ToDateTime(TimeOnly.MinValue).ToOADate();

    public static string Label(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The days a caption covers: "2025-02-01 to 2025-02-28", or "one day, 2025-02-28".</summary>
    public static string Period(IReadOnlyList<ReportDay> days) =>
        days.Count == 1 ? $"one day, {Named(days[0])}" : $"{Label(days[0].Day)} to {Label(days[^1].Day)}";

    /// <summary>
    /// A day a caption names as the largest or worst, marked when it is partial as the findings and tables mark it: "the
    /// largest day is 2025-03-01" named an edge day that held only part of its calls (found by probing the report).
    /// </summary>
    public static string Named(ReportDay day) => Label(day.Day) + (day.Partial ? " (partial)" : "");

    /// <summary>
    /// Model names can be long; axis labels keep the start and the end, which tell versions apart. The cut falls
    /// between text elements: half a surrogate pair (an emoji) made Skia drop the whole label. Beside the other names
    /// of its chart (<paramref name="among"/>), the end kept reaches back to where the name first differs from them:
    /// "acme-claude-3-5-…t-20241022" could not be told from "acme-claude-3-5-…u-20241022" (found by probing the report).
    /// </summary>
    public static string Shorten(string name, IReadOnlyCollection<string>? among = null)
    {
        const int Kept = 26;
        var text = new StringInfo(name);
        var length = text.LengthInTextElements;
        if (length <= Kept + 2) return name;
        var differsAt = among?.Where(other => other != name).Select(other => CommonPrefixElements(name, other)).DefaultIfEmpty(0).Max() ?? 0;
        // The last 10 always, and further back to where the name parts from the others, as far as 22; the head has the rest.
        // With the parting at the very end, the tail had shrunk to one character: "acme-enterprise-finetuned…0" (found by
        // probing the report).
        var tail = differsAt < 16 ? 10 : Math.Clamp(length - differsAt, 10, Kept - 4);
        return text.SubstringByTextElements(0, Kept - tail) + "…" + text.SubstringByTextElements(length - tail);
    }

    /// <summary>How many text elements two names share at their start.</summary>
    private static int CommonPrefixElements(string a, string b)
    {
        var chars = a.AsSpan().CommonPrefixLength(b);
        if (chars > 0 && char.IsHighSurrogate(a[chars - 1])) chars--;
        return new StringInfo(a[..chars]).LengthInTextElements;
    }

    /// <summary>A name as a legend or left-axis label: shortened among its chart's names, and drawable by the chart font or, over it, a fallback font.</summary>
    private static string ShortLabel(string name, IReadOnlyCollection<string> among) => Drawable(Shorten(name, among), overlaid: true);

    /// <summary>
    /// The label with each character that will not be drawn as □: Skia leaves such glyphs out, so a name of emoji
    /// alone was a blank label. Where <see cref="FallbackLabels"/> draws the label (<paramref name="overlaid"/>), a
    /// character the chart font lacks but another font has (CJK in DejaVu Sans) stays. The caption keeps the name as it is.
    /// </summary>
    private static string Drawable(string label, bool overlaid)
    {
        var font = Fonts.GetTypeface(ChartFonts.Family, bold: false, italic: false);
        var drawable = new System.Text.StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(label);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var drawn = overlaid ? FallbackFonts.CanDraw(element, font) : font.ContainsGlyphs(element);
            drawable.Append(drawn ? element : "□");
        }
        return drawable.ToString();
    }

    /// <summary>
    /// Names of the top-N series by weight, the rest folded into "other"; a series itself called "other" is then folded
    /// in with them, never a second series of that name.
    /// </summary>
    public static List<string> TopN(IEnumerable<(string Name, double Weight)> series, int n = ReportBuilder.TopModels)
    {
        var ordered = series.GroupBy(s => s.Name, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Weight: g.Sum(s => s.Weight)))
            .OrderByDescending(s => s.Weight).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => s.Name).ToList();
        if (ordered.Count <= n + 1) return ordered;
        return [.. ordered.Where(s => s != ReportBuilder.Other).Take(n), ReportBuilder.Other];
    }

    public static string Fold(string name, IReadOnlyList<string> top) => top.Contains(name) ? name : ReportBuilder.Other;

    /// <summary>A tick label as ScottPlot writes it (thousands separated, fractions to ten places), in the invariant culture.</summary>
    private static string Number(double v) =>
        v == 0 ? "0" : v == Math.Round(v) || Math.Abs(v) > 1000 ? v.ToString("N0", CultureInfo.InvariantCulture) : Math.Round(v, 10).ToString("G", CultureInfo.InvariantCulture);

    public static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    public static string S(double? v) => Format.Seconds(v);
}
