namespace LlmLog.Report;

/// <summary>The statistics the report quotes, defined as the SQL marts define them.</summary>
public static class Stats
{
    /// <summary>Percentile with linear interpolation between closest ranks, as SQL's <c>percentile_cont</c>.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public static double? Percentile(IEnumerable<double?> values, double p) =>
        Percentile(Sorted(values), p);

    public static double[] Sorted(IEnumerable<double?> values)
    {
        var array = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
        Array.Sort(array);
        return array;
    }

    public static double? Average(IEnumerable<double?> values)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values)
        {
            if (v is null) continue;
            sum += v.Value;
            n++;
        }
        return n == 0 ? null : sum / n;
    }

    /// <summary>Pearson's r, or null when fewer than three pairs or one side does not vary.</summary>
    public static double? Pearson(IReadOnlyList<(double X, double Y)> pairs)
    {
        if (pairs.Count < 3) return null;
        var mx = pairs.Average(p => p.X);
        var my = pairs.Average(p => p.Y);
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (x, y) in pairs)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }
        if (sxx <= 0 || syy <= 0) return null;
        return sxy / Math.Sqrt(sxx * syy);
    }
}
