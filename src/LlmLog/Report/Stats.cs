namespace LlmLog.Report;

/// <summary>The statistics the report quotes, defined as the SQL marts define them.</summary>
public static class Stats
{
    /// <summary>
    /// Percentile with linear interpolation between closest ranks, as SQL's <c>percentile_cont</c> computes it on both
    /// engines; the report takes its percentiles from the engine, and this states (and tests) the definition.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
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

    /// <summary>
    /// Two-sided p-value of Pearson's r over <paramref name="n"/> pairs under no correlation: Student's t with n − 2
    /// degrees of freedom, whose two tails are the regularized incomplete beta I(df / (df + t²); df/2, 1/2).
    /// </summary>
    public static double TwoSidedP(double r, int n)
    {
        var df = n - 2;
        if (Math.Abs(r) >= 1) return 0;
        var t2 = r * r * df / (1 - r * r);
        return MathNet.Numerics.SpecialFunctions.BetaRegularized(df / 2.0, 0.5, df / (df + t2));
    }
}
