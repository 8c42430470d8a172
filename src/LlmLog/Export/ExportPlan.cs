using LlmLog.Transform;
using LlmLog.Validation;

namespace LlmLog.Export;

/// <summary>
/// Turns a request into the statements that produce its rows, in day order. Calls are read one local day at a
/// time, or several sparse days together (<see cref="SliceCalls"/>), so each statement is bounded however large the
/// table grows; the marts come from their UTC tables, or are re-bucketed from the call rows for another time zone or
/// one model.
/// </summary>
public sealed class ExportPlan
{
    // The side of a range that --from or --to leaves open reaches to the first or last instant a call's created
    // may have (Timestamps): no reject's created_day and no --from/--to lies beyond, and both engines store them.
    private static readonly DateTime Earliest = DateTime.SpecifyKind(Timestamps.FirstCreated, DateTimeKind.Unspecified);
    private static readonly DateTime AfterLatest = DateTime.SpecifyKind(Timestamps.AfterLastCreated, DateTimeKind.Unspecified);

    private ExportPlan(IReadOnlyList<ExportQuery> queries, ExportQuery? runsBehind, DateTime? fromUtc, DateTime? toUtc)
    {
        Queries = queries;
        RunsBehind = runsBehind;
        FromUtc = fromUtc;
        ToUtc = toUtc;
    }

    public IReadOnlyList<ExportQuery> Queries { get; }

    /// <summary>The statement listing the ingest runs behind the rows, for the manifest.</summary>
    public ExportQuery? RunsBehind { get; }

    /// <summary>The UTC instants the selection covers (null when it cannot contain a call).</summary>
    public DateTime? FromUtc { get; }

    public DateTime? ToUtc { get; }

    /// <summary>
    /// The most calls one statement of a calls export reads when it spans several days. Days are read one statement each
    /// only up to this size: each statement scans the calls whose zone maps (DuckDB) or index (PostgreSQL) its days
    /// reach, and with calls loaded out of time order every statement scanned the whole table: 500,000 calls over ten
    /// years took 102 s as 3,652 statements in a probe's run (13.7 s loaded in time order; found by probing resources),
    /// 38.6 s on a quieter machine, and 2.1 s read together. A day with more calls is still one statement of its own,
    /// so no statement sorts more than this or one day's calls.
    /// </summary>
    public const long SliceCalls = 50_000;

    /// <summary>
    /// The plan for <paramref name="request"/>; <paramref name="firstCall"/>/<paramref name="lastCall"/> (UTC) bound the
    /// data, null when there are no calls. With <paramref name="callDays"/>, the calls of each UTC day that holds any, the
    /// calls export skips the local days that overlap none of them and reads sparse days together.
    /// </summary>
    public static ExportPlan For(ExportRequest request, TimeZoneInfo zone, DateTime? firstCall, DateTime? lastCall, IReadOnlyDictionary<DateOnly, long>? callDays = null)
    {
        var name = request.Table.Name;
        if (name is "rejects" or "runs") return ForLog(request, zone);
        if (firstCall is not { } first || lastCall is not { } last) return new ExportPlan([], null, null, null);

        var from = Max(request.From, DailyMetricsReader.LocalDay(first, zone));
        var to = Min(request.To, DailyMetricsReader.LocalDay(last, zone));
        if (to < from) return new ExportPlan([], null, null, null);
        var fromUtc = DailyMetricsReader.LocalDayStartUtc(from, zone);
        var toUtc = DailyMetricsReader.LocalDayStartUtc(to.AddDays(1), zone);
        var model = request.ModelFilter;
        var utc = zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime;
        var fromCalls = new Dictionary<string, object> { ["zone"] = zone.Id, ["from_utc"] = fromUtc, ["to_utc"] = toUtc, ["model"] = model };
        var martDays = new Dictionary<string, object> { ["from_day"] = DbValues.Midnight(from), ["to_day"] = DbValues.Midnight(to), ["model"] = model };
        var runsBehind = new ExportQuery("export/runs_behind_calls", fromCalls);

        IReadOnlyList<ExportQuery> queries = name switch
        {
            "calls" => CallSlices(from, to, zone, model, callDays),
            "daily" when utc && model.Length == 0 => [new("metrics/daily_llm_metrics", martDays)],
            "daily" => [new("metrics/daily_llm_metrics_from_calls", fromCalls)],
            "daily-model" when utc => [new("export/daily_model", martDays)],
            "daily-model" => [new("export/daily_model_from_calls", fromCalls)],
            "hourly" when utc && model.Length == 0 => [new("export/hourly", martDays)],
            "hourly" => [new("export/hourly_from_calls", fromCalls)],
            _ => throw new InvalidOperationException($"no export plan for table {name}"),
        };
        return new ExportPlan(queries, runsBehind, fromUtc, toUtc);
    }

    private static ExportPlan ForLog(ExportRequest request, TimeZoneInfo zone)
    {
        var allDays = request.From is null && request.To is null;
        var range = new Dictionary<string, object>
        {
            ["all_days"] = allDays,
            ["from_utc"] = request.From is { } from ? DailyMetricsReader.LocalDayStartUtc(from, zone) : Earliest,
            ["to_utc"] = request.To is { } to ? DailyMetricsReader.LocalDayStartUtc(to.AddDays(1), zone) : AfterLatest,
        };
        return request.Table.Name == "rejects"
            ? new ExportPlan([new("export/rejects", range)], new("export/runs_behind_rejects", range), null, null)
            : new ExportPlan([new("export/runs", range)], null, null, null);
    }

    /// <summary>
    /// The local days from <paramref name="from"/> to <paramref name="to"/> that overlap a day with calls, consecutive ones
    /// read together while their calls add up to at most <see cref="SliceCalls"/> (each day counted with every UTC day it
    /// overlaps); every day on its own without <paramref name="callDays"/>.
    /// </summary>
    private static List<ExportQuery> CallSlices(DateOnly from, DateOnly to, TimeZoneInfo zone, string model, IReadOnlyDictionary<DateOnly, long>? callDays)
    {
        var slices = new List<ExportQuery>();
        (DateOnly First, DateOnly Last, long Calls, int Days)? slice = null;
        foreach (var day in Days(from, to))
        {
            var calls = callDays is null ? SliceCalls : CallsOverlapping(day, zone, callDays);
            if (calls == 0) continue;
            if (slice is { } open && open.Calls + calls > SliceCalls)
            {
                slices.Add(CallsOfDays(open.First, open.Last, open.Days, zone, model));
                slice = null;
            }
            slice = slice is { } s ? (s.First, day, s.Calls + calls, s.Days + 1) : (day, day, calls, 1);
        }
        if (slice is { } last) slices.Add(CallsOfDays(last.First, last.Last, last.Days, zone, model));
        return slices;
    }

    private static ExportQuery CallsOfDays(DateOnly first, DateOnly last, int days, TimeZoneInfo zone, string model)
    {
        var fromUtc = DailyMetricsReader.LocalDayStartUtc(first, zone);
        var toUtc = DailyMetricsReader.LocalDayStartUtc(last.AddDays(1), zone);
        return new ExportQuery("export/calls", new Dictionary<string, object>
        {
            ["zone"] = zone.Id,
            ["from_utc"] = fromUtc,
            ["to_utc"] = toUtc,
            ["from_day_utc"] = fromUtc.Date,
            // The UTC day of the slice's last instant: a day that starts at UTC midnight needs only its own
            // day's index entries, not the next day's too.
            ["to_day_utc"] = toUtc.AddTicks(-1).Date,
            ["model"] = model,
        }, days);
    }

    /// <summary>The calls of the UTC days that <paramref name="day"/> in <paramref name="zone"/> overlaps: 0 when none holds any.</summary>
    private static long CallsOverlapping(DateOnly day, TimeZoneInfo zone, IReadOnlyDictionary<DateOnly, long> callDays)
    {
        var first = DateOnly.FromDateTime(DailyMetricsReader.LocalDayStartUtc(day, zone));
        var last = DateOnly.FromDateTime(DailyMetricsReader.LocalDayStartUtc(day.AddDays(1), zone).AddTicks(-1));
        long calls = 0;
        for (var d = first; d <= last; d = d.AddDays(1)) calls += callDays.GetValueOrDefault(d);
        return calls;
    }

    private static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1)) yield return d;
    }

    private static DateOnly Max(DateOnly? requested, DateOnly edge) => requested is { } r && r > edge ? r : edge;

    private static DateOnly Min(DateOnly? requested, DateOnly edge) => requested is { } r && r < edge ? r : edge;

}
