using System.Globalization;
using LlmLog.Transform;

namespace LlmLog.Report;

/// <summary>Days in a row with calls, where pauses of up to <see cref="ChartPeriod.PauseDays"/> days do not break the row, and their calls.</summary>
public sealed record DayStretch(DateOnly First, DateOnly Last, long Calls);

/// <summary>
/// The days the charts over time draw: the busiest stretch of the selection's days, joined by every neighbouring
/// stretch closer to it than it is long, or holding at least <see cref="StrayShare"/> of the calls (unless it lies
/// in the future). A few calls farther away — one call with a timestamp of 1970 beside a year of data — are left
/// out of those charts and named by the findings; the tiles and tables still count them. Without this, one stray
/// timestamp stretched every date axis over decades and the data shrank to a sliver.
/// </summary>
public sealed record ChartPeriod(DateOnly First, DateOnly Last, IReadOnlyList<DayStretch> LeftOut)
{
    /// <summary>Pauses of up to this many days without calls never split the data.</summary>
    public const int PauseDays = DailyMetricsReader.PauseDays;

    /// <summary>
    /// A far-off stretch with fewer than this share of the calls may be stray timestamps; one with more is data (a
    /// fortnight, a 40-day pause, then the newest week was left out, until this rule).
    /// </summary>
    public const double StrayShare = 0.01;

    /// <summary>
    /// No day to draw: the period of a selection without calls (a report of rejected records only). It contains no
    /// day, so every chart and grid over it is empty.
    /// </summary>
    public static ChartPeriod None { get; } = new(DateOnly.MaxValue, DateOnly.MinValue, []);

    /// <summary>Calls on the days left out of the charts over time.</summary>
    public long LeftOutCalls => LeftOut.Sum(s => s.Calls);

    public bool Contains(DateOnly day) => day >= First && day <= Last;

    /// <summary>The period as the report writes it: "2024-01-02 to 2024-12-31", or the one day.</summary>
    public string Text => First == Last ? Day(First) : Day(First) + " to " + Day(Last);

    /// <summary>
    /// The period of <paramref name="days"/> (local days with their calls, any order; at least one day with calls);
    /// <paramref name="today"/> is the report's local day, after which no calls are data.
    /// </summary>
    public static ChartPeriod Of(IEnumerable<(DateOnly Day, long Calls)> days, DateOnly today)
    {
        var stretches = new List<DayStretch>();
        foreach (var (day, calls) in days.Where(d => d.Calls > 0).OrderBy(d => d.Day))
        {
            if (stretches.Count > 0 && Gap(stretches[^1].Last, day) <= PauseDays)
            {
                var last = stretches[^1];
                stretches[^1] = last with { Last = day, Calls = last.Calls + calls };
            }
            else
            {
                stretches.Add(new DayStretch(day, day, calls));
            }
        }
        if (stretches.Count == 0) throw new ArgumentException("a chart period needs a day with calls", nameof(days));

        // The busiest stretch, the later one on a tie: the present is what a reader most often looks for. But not one in
        // the future where one is not: a call of 2205 beside one of 2025 took the lead on the tie and drew 180 years
        // (found by probing the report).
        var candidates = stretches.Any(s => s.First <= today) ? stretches.Where(s => s.First <= today).ToList() : stretches;
        var anchor = candidates[0];
        foreach (var s in candidates) if (s.Calls >= anchor.Calls) anchor = s;
        var lo = stretches.IndexOf(anchor);
        var hi = lo;
        var total = stretches.Sum(s => s.Calls);
        // A lone call far off is the stray timestamp this period is made to leave out, however few the calls: with three
        // calls, one of 1970 held a third of them and stretched the axes over 55 years (found by probing the report).
        bool Substantial(DayStretch s) => s.Calls > 1 && s.Calls >= total * StrayShare && s.First <= today;
        while (true)
        {
            var span = stretches[hi].Last.DayNumber - stretches[lo].First.DayNumber + 1;
            var before = lo > 0 ? Gap(stretches[lo - 1].Last, stretches[lo].First) : int.MaxValue;
            var after = hi < stretches.Count - 1 ? Gap(stretches[hi].Last, stretches[hi + 1].First) : int.MaxValue;
            if (Math.Min(before, after) <= span)
            {
                if (before <= after) lo--;
                else hi++;
            }
            else if (lo > 0 && Substantial(stretches[lo - 1])) lo--;
            else if (hi < stretches.Count - 1 && Substantial(stretches[hi + 1])) hi++;
            else break;
        }
        return new ChartPeriod(stretches[lo].First, stretches[hi].Last, [.. stretches[..lo], .. stretches[(hi + 1)..]]);
    }

    /// <summary>How far <paramref name="stretch"/> lies from the period, in the largest whole unit that reads naturally: "54 years", "5 months", "40 days".</summary>
    public string DistanceOf(DayStretch stretch)
    {
        var (from, to) = stretch.Last < First ? (stretch.Last, First) : (Last, stretch.First);
        var years = to.Year - from.Year;
        if (from.AddYears(years) > to) years--;
        if (years >= 2) return Count(years, "year");
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        if (from.AddMonths(months) > to) months--;
        if (months >= 2) return Count(months, "month");
        return Count(to.DayNumber - from.DayNumber, "day");
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int Gap(DateOnly last, DateOnly next) => next.DayNumber - last.DayNumber - 1;

    private static string Count(long n, string unit) => Counting.Counted(n, unit);
}
