using System.Globalization;

namespace LlmLog.Report;

/// <summary>How the report writes numbers and times: invariant culture, UTC stated, "n/a" for unknown.</summary>
public static class Format
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Count(long v) => v.ToString("N0", C);

    /// <summary>A count that may be unknown: a day whose calls carry no usage has no token count, not zero tokens.</summary>
    public static string Count(long? v) => v is null ? "n/a" : Count(v.Value);

    public static string Seconds(double? v) => v is null ? "n/a" : v.Value.ToString(v.Value < 10 ? "0.00" : "0.0", C) + " s";

    public static string Share(double? v) => v is null ? "n/a" : v.Value.ToString("0.0%", C);

    public static string Usd(double? v) => v switch
    {
        null => "n/a",
        // A priced cost too small for four decimals is not "$0.0000", which reads as the $0 an unknown cost never is.
        > 0 and < 0.00005 => "<$0.0001",
        { } x => "$" + x.ToString(Math.Abs(x) < 1 ? "0.0000" : "N2", C),
    };

    public static string Number(double? v, string format = "0.0") => v is null ? "n/a" : v.Value.ToString(format, C);

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", C);

    public static string Utc(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", C) + " UTC";

    /// <summary>Large token counts as 12.3M / 45.6k, for tiles where width is scarce.</summary>
    public static string Compact(long v) => v switch
    {
        >= 1_000_000_000 => (v / 1e9).ToString("0.##", C) + "B",
        >= 1_000_000 => (v / 1e6).ToString("0.##", C) + "M",
        >= 10_000 => (v / 1e3).ToString("0.#", C) + "k",
        _ => Count(v),
    };
}
