namespace LlmLog.Report;

/// <summary>
/// The values of one measure counted into log bins 1 % wide, as <c>sql/report_marts/060_daily_model_distributions.sql</c>
/// and <c>sql/report/distributions.sql</c> count them: bin k holds the values in [1.01^k, 1.01^(k+1)), zero has a
/// bin of its own, and each bin keeps its count, sum, smallest and largest value. Percentiles read from the bins
/// are within <see cref="RelativeErrorBound"/> of the exact ones; the count, minimum and maximum are exact, the sum and
/// mean exact to a millionth of the unit (the SQL sums each value rounded to a millionth, so no engine's adding order
/// changes them).
/// </summary>
public sealed class LogHistogram
{
    /// <summary>Each bin's upper edge over its lower edge.</summary>
    public const double Growth = 1.01;

    /// <summary>The bin of values at or below zero (the warehouse holds no negative latency, TTFT, rate or share).</summary>
    public const long ZeroBin = -1_000_000;

    /// <summary>
    /// The largest relative error of a percentile: every value is stood for by its bin's geometric midpoint,
    /// which is within √1.01 − 1 ≈ 0.499 % of any value of the bin, and an interpolation between two such
    /// values is within the same share of the exact interpolation.
    /// </summary>
    public static readonly double RelativeErrorBound = Math.Sqrt(Growth) - 1;

    private static readonly double LogGrowth = Math.Log(Growth);

    /// <summary>One bin: its index, how many values it holds, their sum, smallest and largest.</summary>
    public readonly record struct Bin(long Index, long Calls, double Sum, double Min, double Max);

    private readonly Bin[] _bins;

    private LogHistogram(Bin[] bins)
    {
        _bins = bins;
        foreach (var b in bins)
        {
            Count += b.Calls;
            Sum += b.Sum;
        }
        if (bins.Length == 0) return;
        Min = bins[0].Min;
        Max = bins[^1].Max;
        var positive = bins.Where(b => b.Index != ZeroBin).ToList();
        if (positive.Count == 0) return;
        MinPositive = positive[0].Min;
        MaxPositive = positive[^1].Max;
    }

    public static LogHistogram Empty { get; } = new([]);

    /// <summary>Values counted.</summary>
    public long Count { get; }

    public double Sum { get; }

    public double? Min { get; }

    public double? Max { get; }

    /// <summary>The smallest and largest value above zero (a log axis draws only those).</summary>
    public double? MinPositive { get; }

    public double? MaxPositive { get; }

    /// <summary>Values at or below zero.</summary>
    public long ZeroCount => _bins.Length > 0 && _bins[0].Index == ZeroBin ? _bins[0].Calls : 0;

    public double? Mean => Count == 0 ? null : Sum / Count;

    public IReadOnlyList<Bin> Bins => _bins;

    /// <summary>The bin the SQL puts <paramref name="value"/> in.</summary>
    public static long BinOf(double value) => value > 0 ? (long)Math.Floor(Math.Log(value) / LogGrowth) : ZeroBin;

    /// <summary>Bins (of one measure, from any days and models) merged by index: counts and sums added, extremes kept.</summary>
    public static LogHistogram From(IEnumerable<Bin> bins)
    {
        var merged = bins
            .GroupBy(b => b.Index)
            .Select(g => g.Aggregate((a, b) => new Bin(a.Index, a.Calls + b.Calls, a.Sum + b.Sum, Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max))))
            .Where(b => b.Calls > 0)
            .OrderBy(b => b.Index)
            .ToArray();
        return new LogHistogram(merged);
    }

    /// <summary>Several histograms of the same measure as one.</summary>
    public static LogHistogram Merge(IEnumerable<LogHistogram> histograms) => From(histograms.SelectMany(h => h._bins));

    /// <summary>
    /// The percentile as <c>percentile_cont</c> defines it (linear interpolation between the values at the closest
    /// ranks), with each value stood for by its bin's <see cref="Representative"/>; null when there is no value.
    /// </summary>
    public double? Percentile(double p)
    {
        if (Count == 0) return null;
        var rank = p * (Count - 1);
        var lo = (long)Math.Floor(rank);
        var hi = (long)Math.Ceiling(rank);
        var a = ValueAt(lo);
        var b = hi == lo ? a : ValueAt(hi);
        return a + (b - a) * (rank - lo);
    }

    /// <summary>
    /// The value standing for every value of a bin: its geometric midpoint 1.01^(k + ½), pulled into the bin's
    /// smallest and largest value (exact for a bin of one distinct value); zero for the zero bin.
    /// </summary>
    public static double Representative(Bin bin) =>
        bin.Index == ZeroBin ? Math.Clamp(0, bin.Min, bin.Max) : Math.Clamp(Math.Exp((bin.Index + 0.5) * LogGrowth), bin.Min, bin.Max);

    /// <summary>
    /// The positive values counted into <paramref name="bins"/> bins of <paramref name="width"/> on a log10 axis from
    /// <paramref name="lo"/>, each 1 % bin whole into the bin of its <see cref="Representative"/>; the last bin also
    /// takes anything beyond.
    /// </summary>
    public long[] CountInto(double lo, double width, int bins)
    {
        var counts = new long[bins];
        foreach (var b in _bins)
        {
            if (b.Index == ZeroBin) continue;
            var i = (int)Math.Truncate((Math.Log10(Representative(b)) - lo) / width);
            counts[Math.Clamp(i, 0, bins - 1)] += b.Calls;
        }
        return counts;
    }

    // The representative value of the value at 0-based position in sorted order.
    private double ValueAt(long position)
    {
        long seen = 0;
        foreach (var b in _bins)
        {
            seen += b.Calls;
            if (position < seen) return Representative(b);
        }
        return Representative(_bins[^1]);
    }
}
