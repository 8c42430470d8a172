using ScottPlot;
using static LlmLog.Report.Charts.ChartStyle;

namespace LlmLog.Report.Charts;

/// <summary>Charts over clock time: tokens per hour, and the hour-of-day × day grid of calls.</summary>
internal static class TimeCharts
{
    public static ChartFigure TokensPerHour(ReportData data)
    {
        const string Id = "tokens-per-hour";
        const string Title = "Token usage per hour";
        var hours = data.Distributions.Hours.Where(h => data.ChartPeriod.Contains(DateOnly.FromDateTime(h.HourStart))).ToList();
        if (hours.All(h => h.Tokens == 0)) return ChartFigure.Empty(Id, Title, "No call in the selection reports token usage." + LeftOutNote(data));
        var peak = hours.MaxBy(h => h.Tokens);
        var alt = $"Tokens per hour over time ({Format.Counted(hours.Count, "hour")} with calls); the busiest hour is {peak.HourStart.ToString("yyyy-MM-dd HH:00", System.Globalization.CultureInfo.InvariantCulture)} with {N(peak.Tokens)} tokens.{LeftOutNote(data)}";
        return new ChartFigure(Id, Title, alt, () =>
        {
            var plot = New($"Time ({data.Header.TimeZone})", "Tokens per hour");
            Counts(plot.Axes.Left);
            var days = data.ChartedDays.Select(d => d.Day).ToList();
            if (days.Count <= 7)
            {
                var bars = hours.Select(h => new Bar { Position = h.HourStart.AddMinutes(30).ToOADate(), Value = h.Tokens, Size = 1 / 24.0 * 0.9, FillColor = ColorOf(0, "tokens"), LineWidth = 0 }).ToList();
                plot.Add.Bars(bars);
            }
            else
            {
                // Thousands of hour bars thinner than a pixel vanish; a line over every hour (0 where idle) stays visible.
                var byHour = hours.ToDictionary(h => h.HourStart, h => h.Tokens);
                var start = hours[0].HourStart;
                var count = (int)(hours[^1].HourStart - start).TotalHours + 1;
                var xs = new double[count];
                var ys = new double[count];
                for (var i = 0; i < count; i++)
                {
                    var t = start.AddHours(i);
                    xs[i] = t.AddMinutes(30).ToOADate();
                    ys[i] = byHour.GetValueOrDefault(t);
                }
                var line = plot.Add.ScatterLine(xs, ys, ColorOf(0, "tokens"));
                line.LineWidth = days.Count > 60 ? 0.6f : 1f;
            }
            // Before the day's limits are set: margins autoscale both axes, which narrowed one call's day to its hour.
            plot.Axes.Margins(bottom: 0);
            if (days.Count == 1)
            {
                var start = days[0].ToDateTime(TimeOnly.MinValue);
                var ticks = Enumerable.Range(0, 9).Select(i => start.AddHours(i * 3)).ToArray();
                plot.Axes.Bottom.SetTicks(ticks.Select(t => t.ToOADate()).ToArray(), ticks.Select(t => t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                plot.Axes.SetLimitsX(start.ToOADate(), start.AddDays(1).ToOADate());
                RoomForLastBottomTick(plot, "00:00");
            }
            else
            {
                DayTicks(plot, days);
            }
            return plot;
        });
    }

    public static ChartFigure Heatmap(ReportData data)
    {
        var d = data.Distributions;
        var weekly = d.HeatmapDays.Count > Distributions.MaxHeatmapDays;
        var rows = weekly ? Weeks(d) : (d.HeatmapDays.Select(Label).ToList(), d.CallsByDayHour);
        var (labels, grid) = rows;
        var max = grid.Cast<long>().Max();
        var busiest = Enumerable.Range(0, 24).MaxBy(h => Enumerable.Range(0, labels.Count).Sum(r => grid[r, h]));
        // Only the latest weeks of a long period: a row per week of years would be thousands of rows too thin to read.
        var latestOnly = d.HeatmapDays[0] > data.ChartPeriod.First;
        var title = weekly ? latestOnly ? $"Calls by hour of day and week (latest {labels.Count} weeks)" : "Calls by hour of day and week" : "Calls by hour of day and day";
        var alt = $"Heatmap of calls per hour of day ({data.Header.TimeZone}) and {(weekly ? "week" : "day")}, {Format.Counted(labels.Count, "row")}; the busiest hour of day overall is {busiest.ToString("00", System.Globalization.CultureInfo.InvariantCulture)}:00; the largest cell holds {Format.Counted(max, "call")}.";
        if (latestOnly)
        {
            var shown = grid.Cast<long>().Sum();
            var earlier = data.ChartedDays.Sum(x => x.Calls) - shown;
            alt += $" It shows the latest {labels.Count} weeks, from {Label(d.HeatmapDays[0])}; the {Format.Counted(earlier, "call")} of the {Format.Counted(WeeksBetween(data.ChartPeriod.First, d.HeatmapDays[0]), "week")} before, from {Label(data.ChartPeriod.First)}, are not drawn.";
        }
        alt += LeftOutNote(data);
        return new ChartFigure("heatmap", title, alt, () =>
        {
            var plot = New($"Hour of day ({data.Header.TimeZone})", weekly ? "Week starting" : "Day");
            var bins = Bins(max);
            for (var r = 0; r < labels.Count; r++)
            {
                for (var h = 0; h < 24; h++)
                {
                    var v = grid[r, h];
                    var rect = plot.Add.Rectangle(h, h + 1, r, r + 1);
                    rect.FillColor = v == 0 ? Empty : Shade(BinOf(v, bins), bins.Count);
                    rect.LineWidth = 0;
                }
            }
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, 8).Select(i => i * 3 + 0.5).ToArray(), Enumerable.Range(0, 8).Select(i => (i * 3).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            var step = Math.Max(1, (int)Math.Ceiling(labels.Count / 14.0));
            var ticks = Enumerable.Range(0, labels.Count).Where(i => i % step == 0).ToList();
            plot.Axes.Left.SetTicks(ticks.Select(i => i + 0.5).ToArray(), ticks.Select(i => labels[i]).ToArray());
            plot.Axes.SetLimits(0, 24, labels.Count, 0);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "0 calls", FillColor = Empty });
            for (var b = 0; b < bins.Count; b++)
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = bins[b].Label, FillColor = Shade(b, bins.Count) });
            }
            plot.ShowLegend(Edge.Right);
            return plot;
        });
    }

    private static readonly Color Empty = Color.FromHex("#f4f4f4");

    /// <summary>One blue from light (few calls) to dark (many): darker reads as more without a colour key.</summary>
    private static Color Shade(int bin, int bins)
    {
        var t = bins <= 1 ? 1 : bin / (double)(bins - 1);
        Color light = Color.FromHex("#c6dbef"), dark = Color.FromHex("#08306b");
        return new Color((byte)(light.R + (dark.R - light.R) * t), (byte)(light.G + (dark.G - light.G) * t), (byte)(light.B + (dark.B - light.B) * t));
    }

    /// <summary>Up to five colour classes of equal width, labelled with the call counts they hold.</summary>
    private static List<(long Upper, string Label)> Bins(long max)
    {
        var count = (int)Math.Min(5, Math.Max(1, max));
        var bins = new List<(long, string)>();
        long lower = 1;
        for (var i = 1; i <= count; i++)
        {
            var upper = i == count ? max : (long)Math.Ceiling(max * (double)i / count);
            if (upper < lower) continue;
            bins.Add((upper, lower == upper ? Format.Counted(lower, "call") : $"{N(lower)}–{N(upper)} calls"));
            lower = upper + 1;
        }
        return bins;
    }

    private static int BinOf(long v, List<(long Upper, string Label)> bins)
    {
        for (var i = 0; i < bins.Count; i++) if (v <= bins[i].Upper) return i;
        return bins.Count - 1;
    }

    private static int WeeksBetween(DateOnly first, DateOnly monday) => (monday.DayNumber - first.DayNumber + 6) / 7;

    private static (List<string>, long[,]) Weeks(Distributions d)
    {
        var first = d.HeatmapDays[0];
        var monday = first.AddDays(-(((int)first.DayOfWeek + 6) % 7));
        var weeks = (d.HeatmapDays[^1].DayNumber - monday.DayNumber) / 7 + 1;
        var grid = new long[weeks, 24];
        for (var r = 0; r < d.HeatmapDays.Count; r++)
        {
            var w = (d.HeatmapDays[r].DayNumber - monday.DayNumber) / 7;
            for (var h = 0; h < 24; h++) grid[w, h] += d.CallsByDayHour[r, h];
        }
        return (Enumerable.Range(0, weeks).Select(w => Label(monday.AddDays(7 * w))).ToList(), grid);
    }
}
