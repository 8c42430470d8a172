using System.CommandLine.Parsing;
using System.Globalization;
using LlmLog.Validation;

namespace LlmLog.Cli;

/// <summary>
/// How the CLI reads numbers and days: in the invariant culture whatever the machine's locale (a cron job under
/// de_DE read "0.01" as 1), within the range the option allows, and with a message that names the option. A value
/// that does not parse is a usage error, never an exception.
/// </summary>
internal static class OptionParsers
{
    /// <summary>A finite number from <paramref name="min"/> to <paramref name="max"/>, written with a '.' decimal point.</summary>
    public static Func<ArgumentResult, double> Number(string name, double min, double max) => r =>
    {
        var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var v)
            && double.IsFinite(v) && v >= min && v <= max)
        {
            return v;
        }
        r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number between {min} and {max} (with a '.' decimal point), not '{text}'"));
        return default;
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Func<ArgumentResult, long> Whole(string name, long min, long max) => r =>
    {
        var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number between {min} and {max}, not '{text}'"));
        return default;
    };

    /// <summary>A day written YYYY-MM-DD, in the years a call's <c>created</c> may have (see <see cref="Timestamps"/>).</summary>
    public static Func<ArgumentResult, DateOnly?> Day(string name) => r =>
    {
        var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        var first = DateOnly.FromDateTime(Timestamps.FirstCreated);
        var last = DateOnly.FromDateTime(Timestamps.AfterLastCreated).AddDays(-1);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day >= first && day <= last) return day;
        r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a day written YYYY-MM-DD from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}, not '{text}'"));
        return null;
    };
}
