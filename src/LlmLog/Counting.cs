using System.Globalization;

namespace LlmLog;

/// <summary>
/// A count and its noun in messages, logs and the report: "1 day", "5 days", "8,725 hours", never "day(s)". A log
/// line keeps its count as a property and takes the noun into its template, so JSON logs still carry the number.
/// </summary>
public static class Counting
{
    public static string Counted(long n, string singular, string? plural = null) =>
        n.ToString("N0", CultureInfo.InvariantCulture) + " " + Noun(n, singular, plural);

    public static string Noun(long n, string singular, string? plural = null) => n == 1 ? singular : plural ?? singular + "s";
}
