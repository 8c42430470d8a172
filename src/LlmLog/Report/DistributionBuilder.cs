using System.Globalization;

namespace LlmLog.Report;

/// <summary>The per-call distributions and the hour grid behind the distribution and time charts.</summary>
internal static class DistributionBuilder
{
    public static Distributions Build(List<(CallFact Call, DateTime Local)> local, IReadOnlyList<ModelMetrics> models)
    {
        var calls = local.Select(l => l.Call).ToList();
        var temperatures = calls.Where(c => c.Temperature is not null)
            .GroupBy(c => Math.Round(c.Temperature!.Value, 2))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key.ToString("0.0#", CultureInfo.InvariantCulture), g.LongCount()))
            .ToList();
        var unset = calls.LongCount(c => c.Temperature is null);
        if (unset > 0) temperatures.Add(("not set", unset));

        var requestTypes = calls.GroupBy(c => c.RequestType ?? "(none)", StringComparer.Ordinal)
            .Select(g => (g.Key, g.LongCount()))
            .OrderByDescending(t => t.Item2).ThenBy(t => t.Key, StringComparer.Ordinal)
            .ToList();

        var hours = local.GroupBy(l => new DateTime(l.Local.Year, l.Local.Month, l.Local.Day, l.Local.Hour, 0, 0, DateTimeKind.Unspecified))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.LongCount(), g.Sum(x => x.Call.TotalTokens ?? 0)))
            .ToList();

        var firstDay = DateOnly.FromDateTime(local.Min(l => l.Local));
        var lastDay = DateOnly.FromDateTime(local.Max(l => l.Local));
        var days = new List<DateOnly>();
        for (var d = firstDay; d <= lastDay; d = d.AddDays(1)) days.Add(d);
        var grid = new long[days.Count, 24];
        foreach (var (_, t) in local) grid[DateOnly.FromDateTime(t).DayNumber - firstDay.DayNumber, t.Hour]++;

        var maxUse = calls.Where(c => c.MaxTokens is > 0 && c.CompletionTokens is not null)
            .Select(c => (double)c.CompletionTokens!.Value / c.MaxTokens!.Value)
            .Order()
            .ToList();

        return new Distributions
        {
            Temperatures = temperatures,
            RequestTypes = requestTypes,
            LatenciesS = calls.Where(c => c.LatencyS is not null).Select(c => c.LatencyS!.Value).Order().ToList(),
            MaxTokensUse = maxUse,
            HitMaxTokensCalls = calls.LongCount(c => c.HitMaxTokens == true),
            Hours = hours,
            HeatmapDays = days,
            CallsByDayHour = grid,
            HitsByModel = models.Where(m => m.HitMaxTokensCalls > 0)
                .Select(m => (m.Model, m.HitMaxTokensCalls, m.CallsWithMaxTokens))
                .OrderByDescending(m => m.HitMaxTokensCalls).ToList(),
            HitsByRequestType = calls.GroupBy(c => c.RequestType ?? "(none)", StringComparer.Ordinal)
                .Select(g => (g.Key, g.LongCount(c => c.HitMaxTokens == true), g.LongCount(c => c.MaxTokens is not null)))
                .Where(t => t.Item2 > 0)
                .OrderByDescending(t => t.Item2).ToList(),
        };
    }
}
