using System.Globalization;

namespace LlmLog.Validation;

/// <summary>Reads the timestamps of a log record, always to UTC.</summary>
public static class Timestamps
{
    /// <summary>The earliest <c>created</c> a call may have.</summary>
    public static readonly DateTime FirstCreated = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The first instant after the latest <c>created</c> a call may have (the years up to 2999).</summary>
    public static readonly DateTime AfterLastCreated = new(3000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    /// <summary>
    /// Parses <c>YYYY-MM-DD HH:MM:SS</c> (UTC, the export's own form) or ISO 8601 with an optional
    /// fraction and a <c>Z</c> or offset, converted to UTC.
    /// </summary>
    public static bool TryParseCreated(ReadOnlySpan<char> text, out DateTime utc)
    {
        if (text.Length == 19 && TryParseFixed(text, out utc)) return true;
        // Nanosecond clocks (Go, Java) write 8 or 9 fraction digits, more than .NET's formats read; the warehouse
        // keeps microseconds, so the digits past the seventh are dropped before parsing, and the seventh once parsed.
        if (text.Length > 27 && text[19] == '.')
        {
            var digits = 0;
            while (20 + digits < text.Length && char.IsAsciiDigit(text[20 + digits])) digits++;
            if (digits > 7) text = string.Concat(text[..27], text[(20 + digits)..]);
        }
        // A '.' with no digit after it is no fraction ("10:00:00.Z" was read as 10:00:00).
        if (text.Length > 19 && text[19] == '.' && (text.Length == 20 || !char.IsAsciiDigit(text[20])))
        {
            utc = default;
            return false;
        }
        text = WithUpperCaseTAndZAndAMinutesOffset(text);
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            // The seventh digit goes too, down to the microsecond, before the day is taken from the instant. Npgsql
            // cut 1999-12-31T23:59:59.9999999Z toward its epoch (2000) to the next day's midnight, a day later than the
            // day computed here, and DuckDB toward its own (1970): the engines stored two instants, and PostgreSQL's
            // calls export, which selects by both, left the call out (found by probing the export).
            utc = Clock.TruncateToMicroseconds(DateTime.SpecifyKind(dto.UtcDateTime, DateTimeKind.Utc));
            return true;
        }
        utc = default;
        return false;
    }

    /// <summary>
    /// RFC 3339 allows a lower-case <c>t</c> and <c>z</c>, and PostgreSQL writes an offset of whole hours as <c>+05</c>
    /// (<c>2025-02-28 10:00:00+05</c>); .NET's formats read neither, and such records were rejected (found by probing
    /// ingest). They are spelled as the formats read them: <c>T</c>, <c>Z</c>, <c>+05:00</c>.
    /// </summary>
    private static ReadOnlySpan<char> WithUpperCaseTAndZAndAMinutesOffset(ReadOnlySpan<char> text)
    {
        if (text.Length < 19) return text;
        var lowerT = text[10] == 't';
        var lowerZ = text[^1] == 'z';
        // From "YYYY-MM-DDTHH:MM-05" (19 characters) on: a time to the minute takes an offset of hours as well (found by probing time).
        var hoursOnly = text.Length >= 19 && text[^3] is '+' or '-' && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1])
            && char.IsAsciiDigit(text[^4]);
        if (!lowerT && !lowerZ && !hoursOnly) return text;
        var spelled = text.ToString().ToCharArray();
        if (lowerT) spelled[10] = 'T';
        if (lowerZ) spelled[^1] = 'Z';
        return hoursOnly ? string.Concat(spelled, ":00") : spelled;
    }

    /// <summary>
    /// Unix epoch seconds (with fraction) to a UTC time, kept to the microsecond both engines store; false outside
    /// the years a <c>created</c> may have, for the same reason.
    /// </summary>
    public static bool TryFromEpochSeconds(double seconds, out DateTime utc)
    {
        var afterLast = (AfterLastCreated - DateTime.UnixEpoch).TotalSeconds;
        if (!double.IsFinite(seconds) || seconds < 0 || seconds >= afterLast)
        {
            utc = default;
            return false;
        }
        utc = DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * 1_000_000d) * 10);
        // The last microsecond of 2999 and a hair over it can round up to 3000-01-01.
        return utc < AfterLastCreated;
    }

    /// <summary>
    /// The instant <paramref name="value"/> is as Unix time in seconds, else milliseconds, micro- or nanoseconds: the
    /// first of them that gives one from 2000 on (an LLM call's), or null when none does. For the reasons of records that
    /// wrote a time so: a number where a timestamp string belongs, milliseconds where seconds do.
    /// </summary>
    public static (string Unit, DateTime Instant)? AsUnixTimeInAnyUnit(double value)
    {
        foreach (var (unit, perSecond) in (ReadOnlySpan<(string, double)>)[("seconds", 1d), ("milliseconds", 1e3), ("microseconds", 1e6), ("nanoseconds", 1e9)])
        {
            if (TryFromEpochSeconds(value / perSecond, out var instant) && instant.Year >= 2000) return (unit, instant);
        }
        return null;
    }

    // The export's own "2024-12-18 16:40:40" is by far the commonest form: parse it without the general machinery.
    private static bool TryParseFixed(ReadOnlySpan<char> s, out DateTime utc)
    {
        utc = default;
        if (s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') return false;
        if (!TwoDigits(s, 5, out var month) || !TwoDigits(s, 8, out var day) || !TwoDigits(s, 11, out var hour)
            || !TwoDigits(s, 14, out var minute) || !TwoDigits(s, 17, out var second)
            || !TwoDigits(s, 0, out var c) || !TwoDigits(s, 2, out var y)) return false;
        var year = c * 100 + y;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59) return false;
        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    /// <summary>
    /// Why a text in the shape of a timestamp (<c>YYYY-MM-DD HH:MM</c>, then anything) is none: the day, month, hour,
    /// minute or second it names does not exist. Null when it is not in that shape, or names nothing impossible. Such
    /// texts were told "expected YYYY-MM-DD HH:MM:SS", which they are (found by probing time).
    /// </summary>
    public static string? WhyNoSuchTime(ReadOnlySpan<char> s)
    {
        if (s.Length < 16 || s[4] != '-' || s[7] != '-' || s[10] is not (' ' or 'T' or 't') || s[13] != ':') return null;
        if (!TwoDigits(s, 0, out var c) || !TwoDigits(s, 2, out var y) || !TwoDigits(s, 5, out var month) || !TwoDigits(s, 8, out var day)
            || !TwoDigits(s, 11, out var hour) || !TwoDigits(s, 14, out var minute)) return null;
        var year = c * 100 + y;
        var second = s.Length >= 19 && s[16] == ':' && TwoDigits(s, 17, out var sec) ? sec : 0;
        var i = CultureInfo.InvariantCulture;
        if (month is < 1 or > 12) return string.Create(i, $"names month {month:00}; months run from 01 to 12");
        if (year >= 1 && (day < 1 || day > DateTime.DaysInMonth(year, month)))
        {
            var name = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);
            return string.Create(i, $"names a day that does not exist: {name} {year:0000} has {DateTime.DaysInMonth(year, month)} days");
        }
        if (hour == 24) return "names hour 24; write 00:00 of the next day";
        if (hour > 24) return string.Create(i, $"names hour {hour}; hours run from 00 to 23");
        if (minute > 59) return string.Create(i, $"names minute {minute}; minutes run from 00 to 59");
        if (second == 60) return "names second 60, a leap second, which llmlog cannot store; write 23:59:59.999999";
        if (second > 60) return string.Create(i, $"names second {second}; seconds run from 00 to 59");
        // An offset that moves year 1 or 9999 past what a date can hold fails the parse, and "0001-01-01T00:00:00+14:00"
        // was "not a timestamp" where "0001-01-01 00:00:00" is outside the years accepted (found by probing both engines).
        if ((year < FirstCreated.Year || year >= AfterLastCreated.Year) && TryParseCreated(string.Concat("2000", s[4..]), out _))
            return string.Create(i, $"is outside the years {FirstCreated.Year} to {AfterLastCreated.Year - 1} that llmlog accepts");
        return null;
    }

    private static bool TwoDigits(ReadOnlySpan<char> s, int at, out int value)
    {
        var a = s[at] - '0';
        var b = s[at + 1] - '0';
        value = a * 10 + b;
        return (uint)a <= 9 && (uint)b <= 9;
    }
}
