using LlmLog.Validation;

namespace LlmLog.Report;

/// <summary>What a report covers: local days in a time zone, turned into the UTC instants the SQL filters on.</summary>
public sealed record ReportSelection
{
    // Without --from/--to, every call ingest accepts: the bounds are the validator's own, as the warehouse stores
    // UTC (wall time without a kind), so no call the warehouse holds can fall outside a report of all data.
    private static readonly DateTime Earliest = DateTime.SpecifyKind(Timestamps.FirstCreated, DateTimeKind.Unspecified);
    private static readonly DateTime Latest = DateTime.SpecifyKind(Timestamps.AfterLastCreated, DateTimeKind.Unspecified);

    public required DateOnly? From { get; init; }
    public required DateOnly? To { get; init; }
    public required string Model { get; init; }
    public required TimeZoneInfo Zone { get; init; }
    public required string ZoneId { get; init; }

    /// <summary>First UTC instant included (inclusive), without a kind: the warehouse stores UTC wall time.</summary>
    public DateTime FromUtc => From is { } d ? LocalMidnightToUtc(d) : Earliest;

    /// <summary>First UTC instant excluded.</summary>
    public DateTime ToUtc => To is { } d ? LocalMidnightToUtc(d.AddDays(1)) : Latest;

    /// <summary>The first UTC day of the selection, for tables keyed by UTC day (the marts): in UTC the local day itself.</summary>
    // In another zone a local day overlaps two UTC days. A UTC day belongs to the local day that holds its noon, so
    // consecutive local periods share no UTC day.
    public DateTime FromUtcDay => CeilingDay(FromUtc.Add(-HalfDay));

    /// <summary>The last UTC day of the selection (see <see cref="FromUtcDay"/>).</summary>
    public DateTime ToUtcDay => ToUtc.Add(-HalfDay).AddTicks(-1).Date;

    private static readonly TimeSpan HalfDay = TimeSpan.FromHours(12);

    private static DateTime CeilingDay(DateTime t) => t == t.Date ? t : t.Date.AddDays(1);

    /// <summary>Local days and hours are UTC ones, so the stored day and the UTC marts can stand for them.</summary>
    public bool IsUtc => Transform.DailyMetricsReader.IsUtc(Zone);

    /// <summary>Parses the command's options; an unknown zone or reversed dates are the user's to fix.</summary>
    public static ReportSelection Create(DateOnly? from, DateOnly? to, string? model, string? zoneId)
    {
        Transform.DailyMetricsReader.CheckDayOrder(from, to);
        var id = string.IsNullOrWhiteSpace(zoneId) ? "UTC" : zoneId.Trim();
        var zone = Transform.DailyMetricsReader.ResolveZone(id);
        return new ReportSelection { From = from, To = to, Model = string.IsNullOrWhiteSpace(model) ? "" : model, Zone = zone, ZoneId = id };
    }

    // The same day boundaries as the summary's, so the report and summary count the same calls.
    private DateTime LocalMidnightToUtc(DateOnly day) => Transform.DailyMetricsReader.LocalDayStartUtc(day, Zone);
}
