namespace LlmLog.Generation;

/// <summary>Yields exactly <c>count</c> call start times inside the window, newest first, busier in working hours.</summary>
/// <remarks>
/// Drawing sorted uniforms from the top down (the maximum of k uniforms is U^(1/k)) and mapping them through the
/// inverse of the cumulative hourly traffic gives a non-homogeneous Poisson-like stream that lands exactly in the
/// window, in order, in O(days) memory whatever the count.
/// </remarks>
internal sealed class ArrivalClock
{
    private const long MillisPerHour = 3_600_000;

    // Share of peak traffic by UTC hour: European mornings, then the US working day on top.
    private static readonly double[] HourOfDay =
    [
        0.55, 0.45, 0.35, 0.25, 0.20, 0.20, 0.25, 0.35, 0.50, 0.60, 0.65, 0.70,
        0.80, 0.95, 1.00, 1.00, 1.00, 0.95, 0.95, 0.90, 0.85, 0.80, 0.70, 0.60,
    ];

    // Indexed by DayOfWeek (Sunday first).
    private static readonly double[] DayOfWeekFactor = [0.30, 0.95, 1.00, 1.00, 1.00, 0.90, 0.35];

    private readonly Random _rng;
    private readonly long _windowStartMs;
    private readonly long _windowEndMs;
    private readonly double[] _cumulative;
    private readonly long _lastHourMs;
    private long _remaining;
    private double _logFraction;
    private int _hour;

    /// <summary>
    /// A clock for <paramref name="count"/> calls over the <paramref name="days"/> days up to <paramref name="newestDay"/>
    /// (UTC); with <paramref name="notAfter"/> inside the newest day, the window ends there rather than at midnight, so
    /// no call starts after it.
    /// </summary>
    public ArrivalClock(DateOnly newestDay, int days, long count, Random rng, DateTimeOffset? notAfter = null)
    {
        _rng = rng;
        var dayEnd = new DateTimeOffset(newestDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var windowStart = dayEnd.AddDays(-days);
        var windowEnd = notAfter is { } cap && cap > windowStart && cap < dayEnd ? cap : dayEnd;
        _windowStartMs = windowStart.ToUnixTimeMilliseconds();
        _windowEndMs = windowEnd.ToUnixTimeMilliseconds();

        // The last hour may be cut short by notAfter: it weighs as much as it holds (at least a sliver, so it has a weight).
        var hours = (int)Math.Ceiling((windowEnd - windowStart).TotalHours);
        var lastHourShare = Math.Max(1e-6, (windowEnd - windowStart.AddHours(hours - 1)).TotalHours);
        _lastHourMs = Math.Max(1, (long)(windowEnd - windowStart.AddHours(hours - 1)).TotalMilliseconds);
        _cumulative = new double[hours + 1];
        var dayNoise = 1.0;
        for (var h = 0; h < hours; h++)
        {
            var at = windowStart.AddHours(h);
            // Some days are simply busier than others (a launch, a batch job).
            if (h % 24 == 0)
                dayNoise = Distributions.LogNormal(rng, 1.0, 0.2);
            var weight = HourOfDay[at.Hour] * DayOfWeekFactor[(int)at.DayOfWeek] * dayNoise * (h == hours - 1 ? lastHourShare : 1);
            _cumulative[h + 1] = _cumulative[h] + weight;
        }

        _remaining = count;
        _hour = hours - 1;
    }

    /// <summary>The next older start time, in Unix milliseconds; never newer than the previous one.</summary>
    public long NextOlderMs()
    {
        if (_remaining <= 0)
            throw new InvalidOperationException("The clock has already produced every arrival it was sized for.");

        // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        _logFraction += Math.Log(1.0 - _rng.NextDouble()) / _remaining;
        _remaining--;

        var target = Math.Exp(_logFraction) * _cumulative[^1];
        while (_hour > 0 && _cumulative[_hour] > target)
            _hour--;

        var withinHour = (target - _cumulative[_hour]) / (_cumulative[_hour + 1] - _cumulative[_hour]);
        // The last hour, cut short by notAfter, spreads its calls over what it holds: spread over a whole hour and clamped,
        // 170 of a day's 5,000 calls fell on the run's very second (found by probing).
        // A whole hour keeps the arithmetic it always had, so a seed gives the same records as before.
        var ms = _hour == _cumulative.Length - 2 && _lastHourMs < MillisPerHour
            ? _windowStartMs + _hour * MillisPerHour + (long)Math.Floor(withinHour * _lastHourMs)
            : _windowStartMs + (long)Math.Floor((_hour + withinHour) * MillisPerHour);
        return Math.Min(ms, _windowEndMs - 1);
    }
}
