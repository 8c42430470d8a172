using System.CommandLine;
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
    /// <summary>
    /// Refuses an empty path, nearly always <c>--out $VARIABLE</c> with the variable unset: it reached the user as .NET's
    /// "The value cannot be an empty string. (Parameter 'path')", and <c>--pdf ""</c> wrote no PDF without a word
    /// (found by probing prices). <paramref name="takes"/> says what to give instead.
    /// </summary>
    public static Option<T> NonEmptyPath<T>(this Option<T> option, string takes)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => t.Value.Length == 0)) r.AddError($"{option.Name} is empty (a variable that is not set?); {takes}");
        });
        return option;
    }

    /// <summary>As <see cref="NonEmptyPath{T}(Option{T}, string)"/>, for the paths an argument names.</summary>
    public static Argument<T> NonEmptyPaths<T>(this Argument<T> argument, string takes)
    {
        argument.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => t.Value.Length == 0)) r.AddError($"a {argument.Name} is empty (a variable that is not set?); {takes}");
        });
        return argument;
    }

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

    /// <summary>
    /// A day written YYYY-MM-DD, in the years a call's <c>created</c> may have (see <see cref="Timestamps"/>; with a
    /// zone, a day more on each side), or one named from today: <c>today</c>, <c>yesterday</c> or <c>today-N</c>, so
    /// that a schedule can say "yesterday" without <c>$(date ...)</c> (whose <c>%</c> cron takes for a line break).
    /// Today is the current day in the command's <paramref name="zone"/> option when it has one (a Berlin report at
    /// 00:30 reports Berlin's yesterday), else in UTC.
    /// </summary>
    public static Func<ArgumentResult, DateOnly?> Day(string name, Option<string>? zone = null) => r =>
    {
        var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        // With a zone, the local days a call can fall on: 1970-01-01 00:00 UTC is still 1969-12-31 in New York, and
        // 2999-12-31 23:00 UTC already 3000-01-01 in Tokyo. The summary shows those days, so they must be selectable.
        var slack = zone is null ? 0 : 1;
        var first = DateOnly.FromDateTime(Timestamps.FirstCreated).AddDays(-slack);
        var last = DateOnly.FromDateTime(Timestamps.AfterLastCreated).AddDays(slack - 1);
        var range = string.Create(CultureInfo.InvariantCulture, $"outside the days from {first:yyyy-MM-dd} to {last:yyyy-MM-dd} a call can fall on");
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var written))
        {
            if (written >= first && written <= last) return written;
            r.AddError($"{name} {text} is {range}");
            return null;
        }
        if (DaysBeforeToday(text) is { } before)
        {
            // A form written right whose day is out of reach is told so, not how to write a day (found by probing time).
            var today = Today(r, zone);
            if (today.DayNumber - before < first.DayNumber)
            {
                r.AddError(today.DayNumber - before < DateOnly.MinValue.DayNumber
                    ? $"{name} {text} is before {first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, {range}"
                    : $"{name} {text} is {today.AddDays((int)-before).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, {range}");
                return null;
            }
            var d = today.AddDays((int)-before);
            if (d <= last) return d;
        }
        r.AddError(string.Create(CultureInfo.InvariantCulture,
            $"{name} must be a day written YYYY-MM-DD from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}, or today, yesterday or today-N (N days before today), not '{text}'"));
        return null;
    };

    private static long? DaysBeforeToday(string text)
    {
        if (text.Equals("today", StringComparison.OrdinalIgnoreCase)) return 0;
        if (text.Equals("yesterday", StringComparison.OrdinalIgnoreCase)) return 1;
        const string prefix = "today-";
        return text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
    }

    // An unknown zone falls back to UTC here: the command itself refuses it with its own message.
    private static DateOnly Today(ArgumentResult r, Option<string>? zoneOption)
    {
        var zone = TimeZoneInfo.Utc;
        if (zoneOption is not null && r.GetResult(zoneOption) is { Tokens: [var token] })
        {
            try
            {
                zone = Transform.DailyMetricsReader.ResolveZone(token.Value);
            }
            catch (LlmLogException)
            {
            }
        }
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(Clock.UtcNow, DateTimeKind.Utc), zone));
    }
}
