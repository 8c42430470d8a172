using LlmLog.Report;

namespace LlmLog.Tests.Report;

/// <summary>Percentiles read from 1 % log bins against exact percentiles (percentile_cont) of the same values.</summary>
public sealed class LogHistogramTests
{
    private static readonly double[] Ps = [0.01, 0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1_000)]
    [InlineData(200_000)]
    public void PercentilesFromTheBinsAreWithinHalfAPercentOfTheExactOnes(int count)
    {
        // Heavy-tailed, as latencies are (log-normal over four decades), with ties and zeros among them.
        var random = new Random(count);
        var values = Enumerable.Range(0, count)
            .Select(i => i % 97 == 3 ? 0 : i % 11 == 0 ? 2.5 : Math.Exp(random.NextDouble() * 9 - 4.5) * (1 + random.NextDouble()))
            .ToList();
        var histogram = Histogram(values);
        var sorted = values.Order().ToList();

        var worst = 0.0;
        foreach (var p in Ps)
        {
            var exact = Stats.Percentile(sorted, p)!.Value;
            var binned = histogram.Percentile(p)!.Value;
            var error = exact == 0 ? Math.Abs(binned) : Math.Abs(binned - exact) / exact;
            error.Should().BeLessThanOrEqualTo(LogHistogram.RelativeErrorBound, $"p{p * 100} of {count} values: exact {exact}, from bins {binned}");
            worst = Math.Max(worst, error);
        }
        LogHistogram.RelativeErrorBound.Should().BeApproximately(0.004988, 1e-6);
        if (count >= 1_000) worst.Should().BeGreaterThan(0, "with many values per bin a bin's midpoint stands for values it is not");
    }

    [Fact]
    public void TheBoundIsReachedButNotPassedAtTheEdgeOfABin()
    {
        // A bin holding values near both its edges: the midpoint is about half a percent from each.
        var low = Math.Pow(LogHistogram.Growth, 100) * (1 + 1e-9);
        var high = Math.Pow(LogHistogram.Growth, 101) * (1 - 1e-9);
        var histogram = Histogram([low, high]);

        var atLow = Math.Abs(histogram.Percentile(0)!.Value - low) / low;
        var atHigh = Math.Abs(histogram.Percentile(1)!.Value - high) / high;

        atLow.Should().BeInRange(0.0049, LogHistogram.RelativeErrorBound);
        atHigh.Should().BeInRange(0.0049, LogHistogram.RelativeErrorBound);
    }

    [Fact]
    public void CountSumMeanAndExtremesAreExact()
    {
        double[] values = [0, 0, 0.3, 1.7, 1.8, 42, 900];
        var histogram = Histogram(values);

        histogram.Count.Should().Be(7);
        histogram.Mean.Should().BeApproximately(values.Average(), 1e-12);
        (histogram.Min, histogram.Max, histogram.MinPositive, histogram.MaxPositive).Should().Be((0, 900, 0.3, 900));
        histogram.ZeroCount.Should().Be(2);
        histogram.Percentile(0.5).Should().Be(1.7, "a bin of one value stands for it exactly");
        histogram.Percentile(0.1).Should().Be(0, "zeros are exact");
    }

    [Fact]
    public void AnEmptyHistogramHasNoPercentileOrMean()
    {
        LogHistogram.Empty.Percentile(0.5).Should().BeNull();
        LogHistogram.Empty.Mean.Should().BeNull();
        LogHistogram.Empty.MinPositive.Should().BeNull();
    }

    [Fact]
    public void MergingHistogramsGivesTheHistogramOfAllTheirValues()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * 20).ToList();
        var b = Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 200).ToList();

        var merged = LogHistogram.Merge([Histogram(a), Histogram(b)]);
        var whole = Histogram([.. a, .. b]);

        merged.Bins.Select(x => (x.Index, x.Calls, x.Min, x.Max)).Should().Equal(whole.Bins.Select(x => (x.Index, x.Calls, x.Min, x.Max)));
        foreach (var p in Ps) merged.Percentile(p).Should().Be(whole.Percentile(p));
    }

    [Fact]
    public void ChartBinsCountEveryPositiveValueOnce()
    {
        var random = new Random(9);
        var values = Enumerable.Range(0, 5_000).Select(i => i % 50 == 0 ? 0 : Math.Exp(random.NextDouble() * 6 - 2)).ToList();
        var histogram = Histogram(values);
        var (lo, _, width, bins) = LatencyHistogram.Layout(histogram.MinPositive!.Value, histogram.MaxPositive!.Value);

        var counts = histogram.CountInto(lo, width, bins);
        var exact = new long[bins];
        foreach (var v in values.Where(v => v > 0)) exact[Math.Min(bins - 1, (int)Math.Truncate((Math.Log10(v) - lo) / width))]++;

        counts.Sum().Should().Be(values.Count(v => v > 0));
        // A 1 % bin straddling a chart bin's edge is counted whole on one side, so only values within 1 % of an edge can move.
        for (var i = 0; i < bins; i++)
        {
            var edges = new[] { lo + i * width, lo + (i + 1) * width }.Select(e => Math.Pow(10, e)).ToArray();
            var nearEdge = values.Count(v => v > 0 && edges.Any(e => Math.Abs(Math.Log(v / e)) < Math.Log(LogHistogram.Growth)));
            Math.Abs(counts[i] - exact[i]).Should().BeLessThanOrEqualTo(nearEdge, $"chart bin {i}");
        }
        counts.Should().NotEqual(new long[bins]);
    }

    private static LogHistogram Histogram(IEnumerable<double> values) =>
        LogHistogram.From(values.GroupBy(LogHistogram.BinOf).Select(g => new LogHistogram.Bin(g.Key, g.Count(), g.Sum(), g.Min(), g.Max())));
}
