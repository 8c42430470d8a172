using System.Globalization;

namespace LlmLog.Report;

/// <summary>The per-call distributions and the hour grid behind the distribution and time charts, from the engine's aggregates.</summary>
internal static class DistributionBuilder
{
    /// <summary>The engine's aggregates behind the distributions that do not depend on the selection's totals.</summary>
    public sealed record Rows(
        IReadOnlyList<(double? Temperature, long Calls)> Temperatures,
        IReadOnlyList<(string? RequestType, long Calls, long Hits, long CallsWithMaxTokensUse, DateTime FirstCall)> RequestTypes,
        IReadOnlyList<(DateTime HourStart, long Calls, long Tokens)> Hours,
        long[] MaxTokensUse);

    /// <summary>The decimals a temperature setting is told apart by.</summary>
    public const int TemperatureDecimals = 6;

    public static Rows Read(ReportQueries queries, ReportSelection selection) =>
        new(queries.Temperatures(selection), queries.RequestTypes(selection), queries.Hours(selection), queries.MaxTokensUse(selection));

    public static Distributions Build(Rows rows, SelectionTotals totals, Measures measures, IReadOnlyList<ModelMetrics> models, ChartPeriod period)
    {
        var logged = rows.Temperatures;
        // Rounded here rather than in SQL: the engines round halves differently. To six decimals, so that a float a client
        // widened to a double (0.23000000417232513) counts as the setting it stands for, while settings chosen apart stay
        // apart: to two decimals, 0.196 was counted as 0.2, in another bin, and 23 distinct settings as 22 (found by probing
        // the report).
        var temperatures = logged.Where(t => t.Temperature is not null)
            .GroupBy(t => Math.Round(t.Temperature!.Value, TemperatureDecimals))
            .OrderBy(g => g.Key)
            .Select(g => ((decimal?)(decimal)g.Key, g.Sum(t => t.Calls)))
            .ToList();
        var unset = logged.Where(t => t.Temperature is null).Sum(t => t.Calls);
        if (unset > 0) temperatures.Add((null, unset));

        var types = rows.RequestTypes
            .GroupBy(t => t.RequestType ?? "(none)", StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Calls: g.Sum(t => t.Calls), Hits: g.Sum(t => t.Hits), Checkable: g.Sum(t => t.CallsWithMaxTokensUse), FirstCall: g.Min(t => t.FirstCall)))
            .ToList();

        var hours = rows.Hours.OrderBy(h => h.HourStart).ToList();
        var (firstDay, lastDay) = HeatmapDays(period);
        var days = new List<DateOnly>();
        for (var d = firstDay; d <= lastDay; d = d.AddDays(1)) days.Add(d);
        // Bounded by the heatmap's days, never by the span of the data: 1970 to 2999 would be 376,000 rows.
        var grid = new long[days.Count, 24];
        foreach (var (start, calls, _) in hours)
        {
            var day = DateOnly.FromDateTime(start);
            if (day >= firstDay && day <= lastDay) grid[day.DayNumber - firstDay.DayNumber, start.Hour] += calls;
        }

        var useCounts = rows.MaxTokensUse;
        var useCalls = useCounts.Sum();

        return new Distributions
        {
            Temperatures = temperatures,
            RequestTypes = types.Select(t => (t.Name, t.Calls))
                .OrderByDescending(t => t.Calls).ThenBy(t => t.Name, StringComparer.Ordinal)
                .ToList(),
            Latency = Latency(measures.Of(Measures.Latency)),
            MaxTokensUse = new MaxTokensUseHistogram { Calls = useCalls, Median = useCalls == 0 ? null : measures.Of(Measures.MaxTokensUse).Percentile(0.5), Counts = useCounts },
            HitMaxTokensCalls = totals.HitMaxTokensCalls,
            Hours = hours,
            HeatmapDays = days,
            CallsByDayHour = grid,
            HitsByModel = models.Where(m => m.HitMaxTokensCalls > 0)
                .Select(m => (m.Model, m.HitMaxTokensCalls, m.CallsWithMaxTokensUse))
                .OrderByDescending(m => m.HitMaxTokensCalls).ToList(),
            HitsByRequestType = types.Where(t => t.Hits > 0)
                .OrderByDescending(t => t.Hits).ThenBy(t => t.FirstCall).ThenBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => (t.Name, t.Hits, t.Checkable))
                .ToList(),
        };
    }

    /// <summary>The chart period's days, or its latest <see cref="Distributions.MaxHeatmapWeeks"/> whole weeks when it is too long to show by day.</summary>
    private static (DateOnly First, DateOnly Last) HeatmapDays(ChartPeriod period)
    {
        if (period.Last.DayNumber - period.First.DayNumber + 1 <= Distributions.MaxHeatmapDays) return (period.First, period.Last);
        var lastMonday = period.Last.AddDays(-(((int)period.Last.DayOfWeek + 6) % 7));
        var first = lastMonday.AddDays(-7 * (Distributions.MaxHeatmapWeeks - 1));
        return (first > period.First ? first : period.First, period.Last);
    }

    /// <summary>
    /// The latency histogram, whose bins are laid out from the smallest and largest positive latency; each 1 % bin of
    /// the latencies is counted whole into the chart bin of its representative value.
    /// </summary>
    public static LatencyHistogram Latency(LogHistogram latencies)
    {
        var histogram = new LatencyHistogram
        {
            Calls = latencies.Count,
            MinS = latencies.Min,
            MaxS = latencies.Max,
            P50S = latencies.Percentile(0.5),
            P95S = latencies.Percentile(0.95),
            NotDrawn = latencies.ZeroCount,
            Lo = 0,
            Hi = 0,
            Width = 0,
            Counts = [],
        };
        if (latencies is not { MinPositive: { } min, MaxPositive: { } max }) return histogram;
        var (lo, hi, width, bins) = LatencyHistogram.Layout(min, max);
        return histogram with { Lo = lo, Hi = hi, Width = width, Counts = latencies.CountInto(lo, width, bins) };
    }
}
