using System.Globalization;

namespace LlmLog.Report;

/// <summary>The per-call distributions and the hour grid behind the distribution and time charts, from the engine's aggregates.</summary>
internal static class DistributionBuilder
{
    /// <summary>The engine's aggregates behind the distributions that do not depend on the selection's totals.</summary>
    public sealed record Rows(
        IReadOnlyList<(double? Temperature, long Calls)> Temperatures,
        IReadOnlyList<(string? RequestType, long Calls, long Hits, long CallsWithMaxTokens, DateTime FirstCall)> RequestTypes,
        IReadOnlyList<(DateTime HourStart, long Calls, long Tokens)> Hours,
        long[] MaxTokensUse);

    public static Rows Read(ReportQueries queries, ReportSelection selection) =>
        new(queries.Temperatures(selection), queries.RequestTypes(selection), queries.Hours(selection), queries.MaxTokensUse(selection));

    public static Distributions Build(Rows rows, SelectionTotals totals, LatencyHistogram latency, IReadOnlyList<ModelMetrics> models)
    {
        var logged = rows.Temperatures;
        // Rounded here rather than in SQL: the engines round halves differently, and this is the rule the report always used.
        var temperatures = logged.Where(t => t.Temperature is not null)
            .GroupBy(t => Math.Round(t.Temperature!.Value, 2))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key.ToString("0.0#", CultureInfo.InvariantCulture), g.Sum(t => t.Calls)))
            .ToList();
        var unset = logged.Where(t => t.Temperature is null).Sum(t => t.Calls);
        if (unset > 0) temperatures.Add(("not set", unset));

        var types = rows.RequestTypes
            .GroupBy(t => t.RequestType ?? "(none)", StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Calls: g.Sum(t => t.Calls), Hits: g.Sum(t => t.Hits), WithLimit: g.Sum(t => t.CallsWithMaxTokens), FirstCall: g.Min(t => t.FirstCall)))
            .ToList();

        var hours = rows.Hours.OrderBy(h => h.HourStart).ToList();
        var days = new List<DateOnly>();
        var firstDay = hours.Count == 0 ? default : DateOnly.FromDateTime(hours[0].HourStart);
        if (hours.Count > 0)
        {
            for (var d = firstDay; d <= DateOnly.FromDateTime(hours[^1].HourStart); d = d.AddDays(1)) days.Add(d);
        }
        var grid = new long[days.Count, 24];
        foreach (var (start, calls, _) in hours) grid[DateOnly.FromDateTime(start).DayNumber - firstDay.DayNumber, start.Hour] += calls;

        var useCounts = rows.MaxTokensUse;
        var useCalls = useCounts.Sum();

        return new Distributions
        {
            Temperatures = temperatures,
            RequestTypes = types.Select(t => (t.Name, t.Calls))
                .OrderByDescending(t => t.Calls).ThenBy(t => t.Name, StringComparer.Ordinal)
                .ToList(),
            Latency = latency,
            MaxTokensUse = new MaxTokensUseHistogram { Calls = useCalls, Median = useCalls == 0 ? null : totals.MedianMaxTokensUse, Counts = useCounts },
            HitMaxTokensCalls = totals.HitMaxTokensCalls,
            Hours = hours,
            HeatmapDays = days,
            CallsByDayHour = grid,
            HitsByModel = models.Where(m => m.HitMaxTokensCalls > 0)
                .Select(m => (m.Model, m.HitMaxTokensCalls, m.CallsWithMaxTokens))
                .OrderByDescending(m => m.HitMaxTokensCalls).ToList(),
            HitsByRequestType = types.Where(t => t.Hits > 0)
                .OrderByDescending(t => t.Hits).ThenBy(t => t.FirstCall).ThenBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => (t.Name, t.Hits, t.WithLimit))
                .ToList(),
        };
    }

    /// <summary>The latency histogram, whose bins are laid out from the spread in <paramref name="totals"/>.</summary>
    public static LatencyHistogram Latency(ReportQueries queries, ReportSelection selection, SelectionTotals totals)
    {
        var histogram = new LatencyHistogram
        {
            Calls = totals.CallsWithLatency,
            MinS = totals.MinLatencyS,
            MaxS = totals.MaxLatencyS,
            P50S = totals.P50LatencyS,
            P95S = totals.P95LatencyS,
            NotDrawn = totals.CallsWithLatency - totals.CallsWithPositiveLatency,
            Lo = 0,
            Hi = 0,
            Width = 0,
            Counts = [],
        };
        if (totals is not { MinPositiveLatencyS: { } min, MaxPositiveLatencyS: { } max }) return histogram;
        var (lo, hi, width, bins) = LatencyHistogram.Layout(min, max);
        return histogram with { Lo = lo, Hi = hi, Width = width, Counts = queries.LatencyHistogram(selection, lo, width, bins) };
    }
}
