using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Dapper;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Transform;

/// <summary>
/// Rebuilds the marts for the days ingest marked dirty, running <c>sql/staging</c> then <c>sql/marts</c>
/// in name order a slice of days at a time, and clears those days. A slice is built in one transaction, so
/// no day is ever half-refreshed; the days stay dirty until every slice is built, so a refresh cut short is
/// finished by the next one. Each slice commits on its own, so the memory a refresh needs stays that of one
/// slice however many days it rebuilds (DuckDB holds a transaction's new rows in its memory limit: the
/// refresh after a 10M-call ingest in one transaction ran out of 128MB); only <c>llmlog transform</c>, which
/// must be able to roll everything back, builds them all inside its own transaction. The days it clears are
/// handed on to the report marts (<c>sql/report_marts</c>), which only the report reads and which the report
/// builds (<see cref="RefreshReportDays"/>): ingest does not pay for them, and a report pays once for the days
/// that changed since the last.
/// </summary>
public static class MartRefresher
{
    // The bookkeeping of one kind of dirty day: how many, their sizes, the statistics to take first, and clearing them.
    private sealed record DirtyDays(string Label, string Count, string Sizes, string Prepare, string Clear);

    private static readonly DirtyDays Marts = new("marts", "transform/count_dirty_days", "transform/dirty_day_sizes", "transform/prepare_refresh", "transform/clear_dirty_days");
    private static readonly DirtyDays ReportMarts = new("report marts", "transform/count_report_dirty_days", "transform/report_dirty_day_sizes", "transform/prepare_report_refresh", "transform/clear_report_dirty_days");

    /// <summary>Most calls one slice of days is built from: exact percentiles and the price join hold a slice's rows in memory.</summary>
    public const long CallsPerSlice = 250_000;

    /// <summary>
    /// PostgreSQL sessions that build slices side by side. A model is one statement, which PostgreSQL runs on
    /// one core; the client has nothing else to do meanwhile. Two keeps a two-core server busy without
    /// crowding a shared one.
    /// </summary>
    public const int PostgresSessions = 2;

    /// <summary>How many days an ingest has changed whose marts are not rebuilt yet (read only).</summary>
    public static long DirtyDayCount(WarehouseConnection warehouse) =>
        warehouse.Connection.ExecuteScalar<long>(warehouse.Sql.Get(Marts.Count));

    /// <summary>How many days changed since their report marts were last built (read only).</summary>
    public static long ReportDirtyDayCount(WarehouseConnection warehouse) =>
        warehouse.Connection.ExecuteScalar<long>(warehouse.Sql.Get(ReportMarts.Count));

    /// <summary>
    /// Refreshes every dirty day, each slice in a transaction of its own; returns how many days were rebuilt.
    /// On PostgreSQL, slices are built side by side in <see cref="PostgresSessions"/> sessions.
    /// </summary>
    public static int RefreshDirtyDays(WarehouseConnection warehouse, long callsPerSlice = CallsPerSlice, Action<RefreshProgress>? progress = null)
    {
        // Costs are fixed when a day is first built, so the prices must be there before the first build.
        PriceTables.EnsureLoaded(warehouse);
        // DuckDB runs each statement on every core already: one slice after another.
        if (warehouse.Engine != Engine.Postgres) return RefreshMarts(warehouse, outer: null, callsPerSlice, progress);

        return Run(warehouse, Marts, outer: null, callsPerSlice, progress, (slices, refreshedAt, spent, built) => BuildSideBySide(warehouse, slices, refreshedAt, spent, built));
    }

    /// <summary>
    /// Runs the models for the dirty days inside <paramref name="tx"/> and clears them, then builds the report
    /// marts of every day that needs it (a transform leaves nothing for the next report to build); returns how
    /// many days the marts were rebuilt for.
    /// </summary>
    public static int Refresh(WarehouseConnection warehouse, DbTransaction tx, long callsPerSlice = CallsPerSlice)
    {
        var days = RefreshMarts(warehouse, tx, callsPerSlice);
        RefreshReportDays(warehouse, tx, callsPerSlice);
        return days;
    }

    // The marts (not the report's) of the dirty days, slice after slice: inside outer, or each slice in a
    // transaction of its own.
    private static int RefreshMarts(WarehouseConnection warehouse, DbTransaction? outer, long callsPerSlice, Action<RefreshProgress>? progress = null) =>
        Run(warehouse, Marts, outer, callsPerSlice, progress, (slices, refreshedAt, spent, built) =>
        {
            foreach (var slice in slices)
            {
                InTransaction(warehouse, outer, tx =>
                {
                    BuildSlice(warehouse, tx, slice, refreshedAt, spent, warehouse.Sql.List("staging"));
                    warehouse.Connection.Execute(warehouse.Sql.Get("transform/prepare_marts"), transaction: tx);
                    BuildSlice(warehouse, tx, slice, refreshedAt, spent, warehouse.Sql.List("marts"));
                });
                built();
            }
        });

    /// <summary>
    /// Builds the report marts (<c>sql/report_marts</c>) for the days whose marts were rebuilt since they were
    /// last built, a slice at a time, in the caller's transaction or each slice in one of its own; returns how
    /// many days. Run <see cref="RefreshDirtyDays"/> first: it hands on the days it rebuilds.
    /// </summary>
    public static int RefreshReportDays(WarehouseConnection warehouse, DbTransaction? outer = null, long callsPerSlice = CallsPerSlice, Action<RefreshProgress>? progress = null) =>
        Run(warehouse, ReportMarts, outer, callsPerSlice, progress, (slices, refreshedAt, spent, built) =>
        {
            foreach (var slice in slices)
            {
                InTransaction(warehouse, outer, tx => BuildSlice(warehouse, tx, slice, refreshedAt, spent, warehouse.Sql.List("report_marts")));
                built();
            }
        });

    // Plans the slices, builds them with build, and clears the dirty days: inside the caller's transaction,
    // or (side by side, where each slice commits on its own) in one of their own once every slice is built.
    // build calls its last argument each time a slice is built, from whichever session built it.
    private static int Run(WarehouseConnection warehouse, DirtyDays dirty, DbTransaction? outer, long callsPerSlice, Action<RefreshProgress>? progress,
        Action<List<List<DateOnly>>, DateTime, Dictionary<string, TimeSpan>, Action> build)
    {
        var started = Stopwatch.GetTimestamp();
        var (days, slices) = Plan(warehouse, dirty, callsPerSlice, outer);
        if (days == 0) return 0;
        var spent = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var built = 0;
        var reporting = new Lock();
        progress?.Invoke(new RefreshProgress(dirty.Label, 0, slices.Count, days, TimeSpan.Zero));
        // Side by side, two sessions finish slices: one at a time, so the counts are reported in order.
        void Built()
        {
            lock (reporting) progress?.Invoke(new RefreshProgress(dirty.Label, ++built, slices.Count, days, Stopwatch.GetElapsedTime(started)));
        }
        build(slices, Clock.UtcNowUnspecified(), spent, Built);
        LogSpent(dirty.Label, days, slices.Count, Stopwatch.GetElapsedTime(started), spent);
        InTransaction(warehouse, outer, tx => warehouse.Connection.Execute(warehouse.Sql.Get(dirty.Clear), transaction: tx));
        return (int)days;
    }

    // How many days are dirty and the slices they are built in. Without a transaction of the caller's, the
    // preparation (fresh statistics) is committed at once, so the sessions that build the slices see it.
    private static (long Days, List<List<DateOnly>> Slices) Plan(WarehouseConnection warehouse, DirtyDays dirty, long callsPerSlice, DbTransaction? outer) =>
        InTransaction(warehouse, outer, tx =>
        {
            var db = warehouse.Connection;
            var days = db.ExecuteScalar<long>(warehouse.Sql.Get(dirty.Count), transaction: tx);
            if (days == 0) return (0L, new List<List<DateOnly>>());
            db.Execute(warehouse.Sql.Get(dirty.Prepare), transaction: tx);
            var sizes = db.Query<DaySize>(warehouse.Sql.Get(dirty.Sizes), transaction: tx).Select(d => (d.Day, d.Calls));
            return (days, Slices(sizes, callsPerSlice).ToList());
        });

    // The first session writes every slice's costs in order (two sessions writing call_costs at once mostly
    // wait for each other: the cost step took 2.7x as long), counts them, and hands the slice on; both
    // sessions build the marts of the slices handed on, which read far more than they write, while the
    // costs of the next are being written. The first failure stops the others taking more slices and is
    // thrown once they have finished the one in hand.
    private static void BuildSideBySide(WarehouseConnection warehouse, List<List<DateOnly>> slices, DateTime refreshedAt, Dictionary<string, TimeSpan> spent, Action built)
    {
        using var priced = new BlockingCollection<List<DateOnly>>();
        var failed = 0;
        var sessions = new List<WarehouseConnection> { warehouse };
        try
        {
            for (var i = 1; i < Math.Min(PostgresSessions, slices.Count); i++) sessions.Add(warehouse.OpenSibling());
            var workers = sessions.Select((session, index) => Task.Factory.StartNew(() =>
            {
                try
                {
                    if (index == 0)
                    {
                        foreach (var slice in slices)
                        {
                            if (Volatile.Read(ref failed) != 0) break;
                            InTransaction(session, null, tx => BuildSlice(session, tx, slice, refreshedAt, spent, session.Sql.List("staging")));
                            InTransaction(session, null, tx => session.Connection.Execute(session.Sql.Get("transform/prepare_marts"), transaction: tx));
                            priced.Add(slice);
                        }
                        priced.CompleteAdding();
                    }
                    foreach (var slice in priced.GetConsumingEnumerable())
                    {
                        if (Volatile.Read(ref failed) != 0) break;
                        InTransaction(session, null, tx => BuildSlice(session, tx, slice, refreshedAt, spent, session.Sql.List("marts")));
                        built();
                    }
                }
                catch
                {
                    Interlocked.Exchange(ref failed, 1);
                    if (index == 0) priced.CompleteAdding();
                    throw;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            try
            {
                Task.WaitAll(workers);
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        finally
        {
            foreach (var sibling in sessions.Skip(1)) sibling.Dispose();
        }
    }

    // work inside outer when there is one; else in a transaction of its own, committed when work returns.
    private static T InTransaction<T>(WarehouseConnection session, DbTransaction? outer, Func<DbTransaction, T> work)
    {
        if (outer is not null) return work(outer);
        using var tx = session.Connection.BeginTransaction();
        var result = work(tx);
        tx.Commit();
        return result;
    }

    private static void InTransaction(WarehouseConnection session, DbTransaction? outer, Action<DbTransaction> work) =>
        InTransaction(session, outer, tx =>
        {
            work(tx);
            return 0;
        });

    private static void BuildSlice(WarehouseConnection warehouse, DbTransaction tx, List<DateOnly> slice, DateTime refreshedAt, Dictionary<string, TimeSpan> spent, IEnumerable<string> models)
    {
        // The models build the dirty days from the slice's first to its last day (slices are consecutive dirty days).
        var parameters = new { refreshed_at = refreshedAt, first_day = DbValues.Midnight(slice.Min()), last_day = DbValues.Midnight(slice.Max()) };
        warehouse.Connection.Execute(warehouse.Sql.Get("transform/prepare_slice"), transaction: tx);
        foreach (var model in models)
        {
            var started = Stopwatch.GetTimestamp();
            warehouse.Connection.Execute(warehouse.Sql.Get(model), parameters, tx, commandTimeout: 0);
            var elapsed = Stopwatch.GetElapsedTime(started);
            lock (spent) spent[model] = spent.GetValueOrDefault(model) + elapsed;
        }
    }

    // Where a refresh spends its time, for anyone tuning it (llmlog ... --log-level debug). Side by side, the
    // times are summed over the sessions.
    private static void LogSpent(string label, long days, int slices, TimeSpan elapsed, Dictionary<string, TimeSpan> spent) =>
        Log.Debug("Refreshed the {Label} of {Days} " + Counting.Noun(days, "day") + " in {Slices} " + Counting.Noun(slices, "slice") + " in {Seconds:0.00} s: {Models}", label, days, slices, elapsed.TotalSeconds,
            string.Join(", ", spent.Select(m => $"{m.Key} {m.Value.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s")));

    /// <summary>Every day that has costs, in order, in slices of at most <paramref name="callsPerSlice"/> costs (a larger day is a slice of its own).</summary>
    internal static List<List<DateOnly>> CostDaySlices(WarehouseConnection warehouse, DbTransaction tx, long callsPerSlice = CallsPerSlice) =>
        Slices(warehouse.Connection.Query<DaySize>(warehouse.Sql.Get("transform/cost_day_sizes"), transaction: tx).Select(d => (d.Day, d.Calls)), callsPerSlice).ToList();

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
