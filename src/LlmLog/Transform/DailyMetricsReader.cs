using System.Data.Common;
using Dapper;
using LlmLog.Warehouse;

namespace LlmLog.Transform;

/// <summary>Which daily metrics to read: an inclusive range of local days, a model or family, an IANA time zone.</summary>
public sealed record DailyMetricsQuery
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public string? Model { get; init; }
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Compute from the call rows even where the UTC mart would do (tests keep the two equal).</summary>
    internal bool FromCalls { get; init; }
}

/// <summary>A price table that produced some of the computed costs in a range.</summary>
public sealed record PriceTableUsed(string Sha256, string SourcePath, bool InForce, long PricedCalls);

/// <summary>Daily metrics for a range, with where their costs came from.</summary>
public sealed class DailyMetricsResult
{
    public required string TimeZone { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required IReadOnlyList<DailyMetrics> Days { get; init; }
    public required IReadOnlyList<PriceTableUsed> PriceTables { get; init; }

    /// <summary>The --model the days are of (an exact name or a family); empty for every model.</summary>
    public string Model { get; init; } = "";

    /// <summary>The local days of the first and the last call in the warehouse, whatever the selection.</summary>
    public DateOnly FirstCallDay { get; init; }
    public DateOnly LastCallDay { get; init; }
}

/// <summary>
/// Reads daily metrics. UTC days of all models come straight from <c>daily_llm_metrics</c>; another time zone
/// or a model filter re-buckets the call rows with the same aggregates (a UTC day row cannot be shifted into
/// a local day, and percentiles cannot be combined across models).
/// </summary>
public static class DailyMetricsReader
{
    /// <summary>
    /// A pause longer than this many days without a call is a break between exports: the days on either side of it
    /// are partial, like the first and last day of the data.
    /// </summary>
    public const int PauseDays = 31;

    /// <summary>The metrics asked for, or null when the warehouse has no calls at all.</summary>
    public static DailyMetricsResult? Read(WarehouseConnection warehouse, DailyMetricsQuery query)
    {
        var zone = ResolveZone(query.TimeZone);
        var db = warehouse.Connection;
        var span = db.QuerySingle<SpanRow>(warehouse.Sql.Get("metrics/call_span"));
        if (span.first_call is not { } first || span.last_call is not { } last) return null;

        var firstDay = LocalDay(first, zone);
        var lastDay = LocalDay(last, zone);
        var from = query.From ?? firstDay;
        var to = query.To ?? lastDay;
        var fromUtc = LocalDayStartUtc(from, zone);
        var toUtc = LocalDayStartUtc(to.AddDays(1), zone);
        var model = string.IsNullOrWhiteSpace(query.Model) ? "" : query.Model;

        var days = new List<DailyMetrics>();
        var fromMart = IsUtc(zone) && model.Length == 0 && !query.FromCalls;
        using (var reader = fromMart
            ? db.ExecuteReader(warehouse.Sql.Get("metrics/daily_llm_metrics"), new { from_day = DbValues.Midnight(from), to_day = DbValues.Midnight(to) })
            : db.ExecuteReader(warehouse.Sql.Get("metrics/daily_llm_metrics_from_calls"), new { zone = zone.Id, from_utc = fromUtc, to_utc = toUtc, model }))
        {
            var rows = (DbDataReader)reader;
            while (rows.Read())
            {
                var day = DailyMetrics.Read(rows);
                days.Add(day with { Partial = day.Day == firstDay || day.Day == lastDay });
            }
        }

        // Around a pause of weeks an export stopped or began during the day: a pause of the whole warehouse, so that the
        // same day is partial whatever --from/--to/--model select (judged among the selected days alone, a day beside a
        // pause was whole under --from yesterday, and under --model; found by probing summary).
        MarkDaysAroundPauses(days, PauseEdges(warehouse, zone));

        // The same days, model and zone as the metrics, so the tables named are exactly those behind their costs.
        var used = PriceTables.Used(warehouse, zone, fromUtc, toUtc, model, fromCalls: query.FromCalls);
        return new DailyMetricsResult { TimeZone = zone.Id, From = from, To = to, Days = days, PriceTables = used, FirstCallDay = firstDay, LastCallDay = lastDay, Model = model };
    }

    private static void MarkDaysAroundPauses(List<DailyMetrics> days, IReadOnlySet<DateOnly> edges)
    {
        for (var i = 0; i < days.Count; i++)
        {
            if (edges.Contains(days[i].Day)) days[i] = days[i] with { Partial = true };
        }
    }

    /// <summary>
    /// The local days on either side of every pause of more than <see cref="PauseDays"/> days without a call in the
    /// warehouse. Pauses are found in its UTC days (a day or two shorter, so that none is missed) and judged in the zone's.
    /// </summary>
    private static HashSet<DateOnly> PauseEdges(WarehouseConnection warehouse, TimeZoneInfo zone)
    {
        var edges = new HashSet<DateOnly>();
        foreach (var pause in warehouse.Connection.Query<PauseRow>(warehouse.Sql.Get("metrics/pause_edges"), new { pause_days = PauseDays - 2 }))
        {
            if (pause.last_before is not { } before || pause.first_after is not { } after) continue;
            var (lastDay, nextDay) = (LocalDay(before, zone), LocalDay(after, zone));
            if (nextDay.DayNumber - lastDay.DayNumber - 1 <= PauseDays) continue;
            edges.Add(lastDay);
            edges.Add(nextDay);
        }
        return edges;
    }

    /// <summary>A usage error when --to is before --from: summary, report and export say it in the same words.</summary>
    public static void CheckDayOrder(DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && t < f)
        {
            throw new LlmLogException(ExitCode.Usage, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--to {t:yyyy-MM-dd} is before --from {f:yyyy-MM-dd}; swap them"));
        }
    }

    /// <summary>The IANA zone named by <paramref name="id"/>, or a usage error that says what is expected.</summary>
    public static TimeZoneInfo ResolveZone(string id)
    {
        var name = id.Trim();
        if (name.StartsWith("posix/", StringComparison.OrdinalIgnoreCase) || name.StartsWith("right/", StringComparison.OrdinalIgnoreCase)
            || name is "posixrules" or "localtime" or "Factory")
        {
            // Files of the system's zone folder that .NET reads but DuckDB does not know: a database error halfway, otherwise.
            throw new LlmLogException(ExitCode.Usage, $"--timezone '{id}' is a file of the system's zone database, not a zone both engines know; use an IANA name such as Asia/Kathmandu");
        }
        if (AbbreviationNamedZones.TryGetValue(name, out var linked)) name = linked;
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            // .NET maps a Windows name ("Eastern Standard Time") to its zone, but the databases know only IANA names,
            // and every statement is given the zone's name: use the IANA zone it stands for.
            return !zone.HasIanaId && TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana)
                ? TimeZoneInfo.FindSystemTimeZoneById(iana)
                : zone;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            // Zone names are case-sensitive and long: "europe/berlin" and "Europe/Berln" are nearly always Europe/Berlin.
            var meant = Spelling.Nearest(name, TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id));
            throw new LlmLogException(ExitCode.Usage, meant is not null
                ? $"--timezone '{id}' is not a known time zone; did you mean {meant}?"
                : $"--timezone '{id}' is not a known time zone; use an IANA name such as UTC, Europe/Berlin or America/New_York");
        }
    }

    // PostgreSQL reads these names as its fixed-offset abbreviations (CET is +01:00 all year) before it looks for a
    // zone, while DuckDB and .NET read the IANA zones of the same names, with summer time: a call at 22:30 UTC in July
    // fell on different local days on the two engines. Since tzdata 2024b the zones are links to these, which every
    // engine reads alike.
    private static readonly Dictionary<string, string> AbbreviationNamedZones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CET"] = "Europe/Brussels",
        ["MET"] = "Europe/Brussels",
        ["EET"] = "Europe/Athens",
        ["WET"] = "Europe/Lisbon",
    };

    /// <summary>The local day a UTC instant (stored without a kind) falls on in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDay(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    /// <summary>
    /// The UTC instant (without a kind, as the engines store it) at which <paramref name="day"/> begins in
    /// <paramref name="zone"/>: the first instant whose local date is that day or later. Where the clocks went back
    /// across midnight, that is the first pass through it, so the repeated hour's instants that are on the day before
    /// there fall inside the day's span.
    /// </summary>
    public static DateTime LocalDayStartUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where a DST change skips midnight, the day begins at the first local time that exists.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        var start = DateTime.SpecifyKind(local - offset, DateTimeKind.Unspecified);
        // .NET answers for local times from its adjustment rules, which see no gap or repeat where a zone changed its
        // standard offset (Bissau's -01 to +00 at midnight on 1975-01-01, Samoa's skipped 2011-12-30): the instant found
        // was still on the day before there, or already on the day after (found by probing time zones). Checked from UTC,
        // which every zone answers alike, and searched for from UTC when it is wrong.
        return LocalDay(start, zone) >= day && LocalDay(start.AddTicks(-1), zone) < day ? start : FirstInstantOnOrAfter(day, zone);
    }

    // The first UTC instant whose local date is day or later. No zone is more than 15 hours from UTC, so it lies within
    // 16 hours of the day's midnight read as UTC (or at the end of a skipped day, which a later day's search finds the
    // same way): found to the minute from the left, then to the tick within that minute.
    private static DateTime FirstInstantOnOrAfter(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var before = midnight.AddHours(-16);
        var limit = midnight.AddHours(40);
        var after = before.AddMinutes(1);
        while (LocalDay(after, zone) < day && after < limit)
        {
            before = after;
            after = after.AddMinutes(1);
        }
        // LocalDay(before) < day <= LocalDay(after): halve the minute until the two are one tick apart.
        while ((after - before).Ticks > 1)
        {
            var middle = before.AddTicks((after - before).Ticks / 2);
            if (LocalDay(middle, zone) < day) before = middle; else after = middle;
        }
        return after;
    }

    /// <summary>Whether local days and hours in <paramref name="zone"/> are UTC days and hours, as the marts store them.</summary>
    public static bool IsUtc(TimeZoneInfo zone) => zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime;

    // Dapper maps by column name; the snake_case names match the SQL.
#pragma warning disable IDE1006, CA1812
    private sealed record SpanRow(DateTime? first_call, DateTime? last_call);

    private sealed record PauseRow(DateTime? last_before, DateTime? first_after);
#pragma warning restore IDE1006, CA1812
}
