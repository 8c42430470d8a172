using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Transform;

/// <summary>
/// Rebuilds the marts for the days ingest marked dirty, running <c>sql/staging</c> then <c>sql/marts</c>
/// in name order, and clears those days — all in one transaction, so no day is ever half-refreshed.
/// </summary>
public static class MartRefresher
{
    /// <summary>Refreshes every dirty day; returns how many days were rebuilt.</summary>
    public static int RefreshDirtyDays(WarehouseConnection warehouse)
    {
        // Costs are fixed when a day is first built, so the prices must be there before the first build.
        PriceTables.EnsureLoaded(warehouse);
        var db = warehouse.Connection;
        using var tx = db.BeginTransaction();
        var days = Refresh(warehouse, tx);
        if (days > 0) tx.Commit();
        return days;
    }

    /// <summary>Runs the models for the dirty days inside <paramref name="tx"/> and clears them; returns how many days.</summary>
    public static int Refresh(WarehouseConnection warehouse, DbTransaction tx, long callsPerSlice = CallsPerSlice)
    {
        var db = warehouse.Connection;
        var days = db.ExecuteScalar<long>(warehouse.Sql.Get("transform/count_dirty_days"), transaction: tx);
        if (days == 0) return 0;
        var refreshedAt = Clock.UtcNowUnspecified();
        db.Execute(warehouse.Sql.Get("transform/prepare_refresh"), transaction: tx);
        var sizes = db.Query<DaySize>(warehouse.Sql.Get("transform/dirty_day_sizes"), transaction: tx).Select(d => (d.Day, d.Calls));
        var slices = Slices(sizes, callsPerSlice).ToList();
        var spent = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        for (var i = 0; i < slices.Count; i++)
        {
            if (slices.Count > 1)
            {
                // The models read dirty_days, so it holds one slice at a time; the transaction keeps it all-or-nothing.
                db.Execute(warehouse.Sql.Get("transform/clear_dirty_days"), transaction: tx);
                foreach (var day in slices[i]) db.Execute(warehouse.Sql.Get("transform/mark_day_dirty"), new { day = AsDate(day) }, tx);
            }
            // The slice's first and last day repeat what dirty_days says as a range the engines can plan with:
            // PostgreSQL reads the slice through its day indexes, DuckDB skips row groups by their day bounds.
            var parameters = new { refreshed_at = refreshedAt, first_day = AsDate(slices[i].Min()), last_day = AsDate(slices[i].Max()) };
            db.Execute(warehouse.Sql.Get("transform/prepare_slice"), transaction: tx);
            RunModels(warehouse, tx, warehouse.Sql.List("staging"), parameters, spent);
            db.Execute(warehouse.Sql.Get("transform/prepare_marts"), transaction: tx);
            RunModels(warehouse, tx, warehouse.Sql.List("marts"), parameters, spent);
        }
        // Where a refresh spends its time, for anyone tuning it (llmlog ... --log-level debug).
        Log.Debug("Refreshed {Days} day(s) in {Slices} slice(s): {Models}", days, slices.Count,
            string.Join(", ", spent.Select(m => $"{m.Key} {m.Value.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s")));
        db.Execute(warehouse.Sql.Get("transform/clear_dirty_days"), transaction: tx);
        return (int)days;
    }

    private static DateTime AsDate(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

    private static void RunModels(WarehouseConnection warehouse, DbTransaction tx, IEnumerable<string> models, object parameters, Dictionary<string, TimeSpan> spent)
    {
        foreach (var model in models)
        {
            var started = Stopwatch.GetTimestamp();
            warehouse.Connection.Execute(warehouse.Sql.Get(model), parameters, tx, commandTimeout: 0);
            spent[model] = spent.GetValueOrDefault(model) + Stopwatch.GetElapsedTime(started);
        }
    }

    /// <summary>Most calls one slice of days is built from: exact percentiles and the price join hold a slice's rows in memory.</summary>
    public const long CallsPerSlice = 250_000;

    // Consecutive dirty days grouped until a slice holds about CallsPerSlice calls; a bigger day is a slice of its own.
    internal static IEnumerable<List<DateOnly>> Slices(IEnumerable<(DateOnly Day, long Calls)> days, long callsPerSlice = CallsPerSlice)
    {
        var slice = new List<DateOnly>();
        long calls = 0;
        foreach (var (day, n) in days)
        {
            if (slice.Count > 0 && calls + n > callsPerSlice)
            {
                yield return slice;
                slice = [];
                calls = 0;
            }
            slice.Add(day);
            calls += n;
        }
        if (slice.Count > 0) yield return slice;
    }

    private sealed class DaySize
    {
        public DateOnly Day { get; set; }
        public long Calls { get; set; }
    }
}
