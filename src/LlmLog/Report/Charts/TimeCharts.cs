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
        // "The busiest hour is 00:00 with 5,400 tokens" was the first of 22 hours with 5,400 each (found by probing the report).
        var peaks = hours.Count(h => h.Tokens == peak.Tokens);
        var peakHour = peak.HourStart.ToString("yyyy-MM-dd HH:00", System.Globalization.CultureInfo.InvariantCulture);
        var busiest = peaks == 1 ? $"the busiest hour is {peakHour} with {N(peak.Tokens)} tokens"
            : $"the busiest hours have {N(peak.Tokens)} tokens each, {Format.Counted(peaks, "hour")}, the first at {peakHour}";
        var alt = $"Tokens per hour over time ({Format.Counted(hours.Count, "hour")} with calls); {busiest}.{LeftOutNote(data)}";
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
            // Tokens are read against zero: a line of busy hours only began at its lowest hour, drawn on the bottom frame as if it were 0.
            plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top);
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
        var everyDay = Enumerable.Range(0, d.HeatmapDays.Count).ToList();
        var weekly = d.HeatmapDays.Count > Distributions.MaxHeatmapDays;
        var (labels, grid) = weekly ? Weeks(d, everyDay) : Days(d, everyDay);
        var windowRows = labels.Count;
        // Only the latest weeks of a long period: a row per week of years would be thousands of rows too thin to read.
        var latestOnly = d.HeatmapDays[0] > data.ChartPeriod.First;
        // Rows mostly empty tell nothing of the hours of the day: two days a year apart drew 53 weeks, 51 of them
        // blank, the two that mattered a line each. Then only the days with calls get a row, or beyond
        // MaxHeatmapDays of them the weeks with calls; where the calls pause is the daily charts' to show.
        var busyRows = Enumerable.Range(0, windowRows).Count(r => HasCalls(grid, r));
        var skipping = busyRows > 0 && busyRows * 2 < windowRows;
        if (skipping)
        {
            var busyDays = everyDay.Where(r => HasCalls(d.CallsByDayHour, r)).ToList();
            weekly = busyDays.Count > Distributions.MaxHeatmapDays;
            (labels, grid) = weekly ? Weeks(d, busyDays) : Days(d, busyDays);
        }
        var max = grid.Cast<long>().Max();
        var byHour = Enumerable.Range(0, 24).Select(h => Enumerable.Range(0, labels.Count).Sum(r => grid[r, h])).ToList();
        var busiest = BusiestHours(byHour);
        var title = (weekly, skipping, latestOnly) switch
        {
            (false, false, _) => "Calls by hour of day and day",
            (false, true, false) => "Calls by hour of day and day (days with calls)",
            // Only the latest weeks are drawn when the period is longer; the title says so, as the weekly ones do.
            (false, true, true) => $"Calls by hour of day and day (days with calls of the latest {windowRows} weeks)",
            (true, false, false) => "Calls by hour of day and week",
            (true, false, true) => $"Calls by hour of day and week (latest {windowRows} weeks)",
            (true, true, false) => "Calls by hour of day and week (weeks with calls)",
            (true, true, true) => $"Calls by hour of day and week (weeks with calls of the latest {windowRows})",
        };
        var alt = $"Heatmap of calls per hour of day ({data.Header.TimeZone}) and {(weekly ? "week" : "day")}, {Format.Counted(labels.Count, "row")}; {busiest}; the largest cell holds {Format.Counted(max, "call")}.";
        if (skipping)
        {
            var of = weekly ? Format.Counted(windowRows, "week") : Format.Counted(d.HeatmapDays.Count, "day");
            alt += $" Only the {(weekly ? "weeks" : "days")} with calls have a row: {N(labels.Count)} of the {of} from {Label(d.HeatmapDays[0])} to {Label(d.HeatmapDays[^1])}.";
        }
        if (latestOnly)
        {
            var shown = grid.Cast<long>().Sum();
            var earlier = data.ChartedDays.Sum(x => x.Calls) - shown;
            alt += $" It shows the latest {Format.Counted(windowRows, "week")}, from {Label(d.HeatmapDays[0])}; the {Format.Counted(earlier, "call")} of the {Format.Counted(WeeksBetween(data.ChartPeriod.First, d.HeatmapDays[0]), "week")} before, from {Label(data.ChartPeriod.First)}, {(earlier == 1 ? "is" : "are")} not drawn.";
        }
        alt += LeftOutNote(data);
        return new ChartFigure("heatmap", title, alt, () =>
        {
            var plot = New($"Hour of day ({data.Header.TimeZone})", weekly ? "Week starting" : "Day");
            var bins = Bins(max);
            // Rows that skip days stand apart, so two days a year apart never read as one block.
            var gap = skipping ? 0.05 : 0;
            for (var r = 0; r < labels.Count; r++)
            {
                for (var h = 0; h < 24; h++)
                {
                    var v = grid[r, h];
                    var rect = plot.Add.Rectangle(h, h + 1, r + gap, r + 1 - gap);
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

    /// <summary>
    /// "the busiest hour of day overall is 16:00", or the hours that tie for it: with six hours of 7 calls each the caption
    /// named 00:00, the first of them (found by probing the report).
    /// </summary>
    private static string BusiestHours(IReadOnlyList<long> callsByHour)
    {
        var most = callsByHour.Max();
        var tied = Enumerable.Range(0, 24).Where(h => callsByHour[h] == most).Select(h => h.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + ":00").ToList();
        return tied.Count switch
        {
            1 => $"the busiest hour of day overall is {tied[0]}",
            <= 3 => $"the busiest hours of day overall are {Format.And(tied)}, with {Format.Counted(most, "call")} each",
            24 => $"every hour of day holds {Format.Counted(most, "call")} overall",
            _ => $"the busiest hours of day overall have {Format.Counted(most, "call")} each: {N(tied.Count)} hours, the first at {tied[0]}",
        };
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

    private static bool HasCalls(long[,] grid, int row) => Enumerable.Range(0, 24).Any(h => grid[row, h] > 0);

    /// <summary>A row for each of the heatmap's days given by index, in order.</summary>
    private static (List<string>, long[,]) Days(Distributions d, IReadOnlyList<int> days)
    {
        var grid = new long[days.Count, 24];
        for (var r = 0; r < days.Count; r++)
        {
            for (var h = 0; h < 24; h++) grid[r, h] = d.CallsByDayHour[days[r], h];
        }
        return (days.Select(r => Label(d.HeatmapDays[r])).ToList(), grid);
    }

    /// <summary>A row for each week (Monday to Sunday) holding one of the heatmap's days given by index, in order.</summary>
    private static (List<string>, long[,]) Weeks(Distributions d, IReadOnlyList<int> days)
    {
        static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        var mondays = days.Select(r => MondayOf(d.HeatmapDays[r])).Distinct().ToList();
        var row = mondays.Select((m, w) => (m, w)).ToDictionary(x => x.m, x => x.w);
        var grid = new long[mondays.Count, 24];
        foreach (var r in days)
        {
            var w = row[MondayOf(d.HeatmapDays[r])];
            for (var h = 0; h < 24; h++) grid[w, h] += d.CallsByDayHour[r, h];
        }
        return (mondays.Select(Label).ToList(), grid);
    }
}
