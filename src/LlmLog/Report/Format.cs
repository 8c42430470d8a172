using System.Globalization;

namespace LlmLog.Report;

/// <summary>How the report writes numbers and times: invariant culture, UTC stated, "n/a" for unknown.</summary>
public static class Format
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Count(long v) => v.ToString("N0", C);

    /// <summary>A count that may be unknown: a day whose calls carry no usage has no token count, not zero tokens.</summary>
    public static string Count(long? v) => v is null ? "n/a" : Count(v.Value);

    /// <summary>
    /// Every duration the report writes: in seconds, fewer decimals as it grows (2 below 10 s, 1 below 1,000 s,
    /// none above), thousands grouped as counts are, so columns of durations compare at a glance. A no-break space
    /// keeps the unit on the line of its number.
    /// </summary>
    public static string Seconds(double? v) => v is null ? "n/a" : v.Value.ToString(SecondsFormat(v.Value), C) + "\u00a0s";

    /// <summary>
    /// The signed change from one duration to another as their written values give it: the difference of the two
    /// numbers <see cref="Seconds"/> writes, to the coarser of their precisions. "31.4 s → 31.7 s" is "+0.3 s", not
    /// the "+0.39 s" of the unrounded values, which did not add up on the page (found by probing the report).
    /// </summary>
    public static string SecondsChange(double before, double after)
    {
        var (b, a) = (SecondsFormat(before), SecondsFormat(after));
        var coarser = b.Length <= a.Length ? b : a;
        var change = double.Parse(after.ToString(a, C), NumberStyles.Float | NumberStyles.AllowThousands, C)
            - double.Parse(before.ToString(b, C), NumberStyles.Float | NumberStyles.AllowThousands, C);
        return (change >= 0 ? "+" : "−") + Math.Abs(change).ToString(coarser, C) + "\u00a0s";
    }

    // 2 decimals below 10 s, 1 below 1,000 s, none (thousands grouped) above; below 5 ms, the first two significant
    // digits down to the microsecond both engines store: a latency histogram from 20 µs said "from 0.00 s" (found by
    // probing the report).
    private static string SecondsFormat(double v) => Math.Abs(v) switch
    {
        0 => "0.00",
        < 0.0001 => "0.000000",
        < 0.001 => "0.00000",
        < 0.005 => "0.0000",
        < 9.995 => "0.00",
        < 999.95 => "0.0",
        _ => "N0",
    };

    /// <summary>A count and its noun, singular for one: "1 day", "8,725 hours", never "day(s)".</summary>
    public static string Counted(long n, string singular, string? plural = null) => Counting.Counted(n, singular, plural);

    public static string Share(double? v) => v is null ? "n/a" : v.Value.ToString("0.0%", C);

    public static string Usd(double? v) => v switch
    {
        null => "n/a",
        // A priced cost too small for four decimals is not "$0.0000", which reads as the $0 an unknown cost never is.
        > 0 and < 0.00005 => "<$0.0001",
        { } x => "$" + x.ToString(UsdFormat(x), C),
    };

    /// <summary>
    /// A cost that leaves unpriced calls out, as a floor: rounded down, never up, since those calls may cost nothing. A
    /// known $9.1293 read "≥ $9.13", more than is known (found by probing costs).
    /// </summary>
    public static string UsdFloor(double v)
    {
        if (v is > 0 and < 0.00005) return Usd(v);
        var scale = Math.Abs(v) < 1 ? 10_000m : 100m;
        var down = (double)(Math.Floor((decimal)v * scale) / scale);
        return "$" + down.ToString(UsdFormat(down), C);
    }

    /// <summary>
    /// The amount <see cref="Usd"/> writes, as a number, so that amounts are compared as the reader sees them: 0.75 − 0.6
    /// is a hair above 0.6 − 0.45 in floating point, and of three rises of $0.1500 the second was named the largest
    /// (found by probing the report). An amount written "&lt;$0.0001" is its own value.
    /// </summary>
    public static decimal UsdAsWritten(double v) => v is > 0 and < 0.00005
        ? (decimal)v
        : decimal.Parse(v.ToString(UsdFormat(v), C), NumberStyles.Number, C);

    /// <summary>
    /// Four decimals below a dollar, cents from there: by the amount as it would be written, so $0.99996 is "$1.00" beside
    /// the other dollars, not "$1.0000" (found by probing costs).
    /// </summary>
    private static string UsdFormat(double v) => Math.Abs(v) < 1 && Math.Abs(v).ToString("0.0000", C) != "1.0000" ? "0.0000" : "N2";

    /// <summary>
    /// A measured quantity to one decimal, grouped as counts are: "5,000.0", not "5000.0". One too small for that decimal
    /// is written to its first two significant digits, never as 0: a median of 0.000116 tokens/s read "0.0 tokens/s", as
    /// if the model wrote nothing (found by probing the report).
    /// </summary>
    public static string Number(double? v, string format = "#,##0.0")
    {
        if (v is not { } x) return "n/a";
        var written = x.ToString(format, C);
        if (x == 0 || !double.IsFinite(x) || written.Any(c => c is >= '1' and <= '9')) return written;
        var digits = (int)Math.Ceiling(-Math.Log10(Math.Abs(x))) + 1;
        return x.ToString("0." + new string('0', digits), C);
    }

    /// <summary>Names in a sentence: "a", "a and b", "a, b and c".</summary>
    public static string And(IReadOnlyList<string> items) => items.Count == 1 ? items[0] : string.Join(", ", items.SkipLast(1)) + " and " + items[^1];

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", C);

    public static string Utc(DateTime t) => Local(t) + " UTC";

    /// <summary>A wall time without its zone, which the caller names.</summary>
    public static string Local(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", C);

    /// <summary>Large counts to three significant digits with k, M, B or T (92.7k, 875k, 8.64M, 418M), for tiles where width is scarce.</summary>
    public static string Compact(long v)
    {
        if (v < 10_000) return Count(v);
        // Rounded first, so 999,950 becomes 1M rather than "1000k".
        var magnitude = Math.Floor(Math.Log10(v));
        var rounded = Math.Round(v / Math.Pow(10, magnitude - 2)) * Math.Pow(10, magnitude - 2);
        var (scale, unit) = rounded switch { >= 1e12 => (1e12, "T"), >= 1e9 => (1e9, "B"), >= 1e6 => (1e6, "M"), _ => (1e3, "k") };
        // Three significant digits, trailing zeros kept: "34.0M" for 34,034,266 ("34M" read as a round number).
        var scaled = rounded / scale;
        return scaled.ToString(scaled switch { < 10 => "0.00", < 100 => "0.0", _ => "0" }, C) + unit;
    }
}
