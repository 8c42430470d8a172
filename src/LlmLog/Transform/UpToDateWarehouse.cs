using Dapper;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Transform;

/// <summary>
/// Opens the warehouse for the commands that read it (summary, report, export): migrated, and with every day an
/// interrupted ingest left dirty rebuilt first, so they never show stale marts. A user who may not write (a
/// read-only DuckDB file, a PostgreSQL role with SELECT only, a standby) reads a warehouse that needs none of that
/// as it is, and is told plainly when it needs some.
/// </summary>
public static class UpToDateWarehouse
{
    /// <summary>
    /// Opens <paramref name="target"/>, migrated, waiting up to <paramref name="lockWait"/> for a running ingest.
    /// With <paramref name="needsAggregatedDays"/> false (a read of the tables an ingest writes whole in its own
    /// transaction: runs, rejects), days awaiting aggregation are rebuilt when this user may, and otherwise do not
    /// stop the read.
    /// </summary>
    public static WarehouseConnection Open(DatabaseTarget target, TimeSpan lockWait, string? sqlRoot = null, bool needsAggregatedDays = true)
    {
        WarehouseConnection.RequireExisting(target, sqlRoot);
        WarehouseConnection warehouse;
        try
        {
            warehouse = OpenWritableIfAllowed(target, lockWait, sqlRoot);
        }
        catch (LlmLogException e) when (WarehouseSchema.AsNoWarehouse(target, e) is { } instead)
        {
            // A DuckDB file of another tool's is found so only when its migration starts (PostgreSQL's, before it opens).
            throw instead;
        }
        try
        {
            // Waits for a running ingest to finish; on PostgreSQL any role may take the advisory lock.
            warehouse.AcquireWriterLock(lockWait);
            RefreshDirtyDays(warehouse, lockWait, needsAggregatedDays);
            return warehouse;
        }
        catch
        {
            warehouse.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Builds the report marts of the days changed since the last report. False when they are out of date and this
    /// user may not write them: the report then reads the call rows, which gives the same numbers, only slower.
    /// </summary>
    public static bool TryRefreshReportDays(WarehouseConnection warehouse, Action<RefreshProgress>? progress = null)
    {
        try
        {
            if (warehouse.ReadOnly && MartRefresher.ReportDirtyDayCount(warehouse) > 0) return CannotBuildReportMarts(warehouse, null);
            var days = warehouse.ReadOnly ? 0 : MartRefresher.RefreshReportDays(warehouse, progress: progress);
            if (days > 0) Log.Information("Built the report marts for {Days} " + Counting.Noun(days, "day") + " changed since the last report", days);
            return true;
        }
        catch (Exception e) when (DatabaseFailures.IsNoWriteAccess(e))
        {
            return CannotBuildReportMarts(warehouse, e);
        }
    }

    private static bool CannotBuildReportMarts(WarehouseConnection warehouse, Exception? e)
    {
        Log.Information("The report marts of {Database} are out of date and this user may not rebuild them{Reason}; reading the call rows instead, which takes longer",
            warehouse.Target.Display, e is null ? "" : $" ({DatabaseFailures.Explain(e)})");
        return false;
    }

    // A DuckDB file that cannot be written is opened read-only, as long as its schema is current.
    private static WarehouseConnection OpenWritableIfAllowed(DatabaseTarget target, TimeSpan lockWait, string? sqlRoot)
    {
        try
        {
            return WarehouseConnection.Open(target, lockWait, sqlRoot);
        }
        catch (LlmLogException e) when (e.Code == ExitCode.ReadOnly && target.Engine == Engine.DuckDb)
        {
            var warehouse = WarehouseConnection.Open(target, lockWait, sqlRoot, readOnly: true);
            try
            {
                // A file a newer llmlog migrated is refused here too, and the connection closed (found by review).
                if (!Migrator.IsCurrent(warehouse))
                {
                    throw new LlmLogException(ExitCode.ReadOnly,
                        $"{target.Display} has an older schema than this llmlog, and upgrading it needs write access to the file and its folder; " +
                        "run any llmlog command once as a user who can write them, such as 'llmlog transform'", e);
                }
            }
            catch
            {
                warehouse.Dispose();
                throw;
            }
            Log.Debug("{Database} cannot be written; reading it as it is", target.Display);
            return warehouse;
        }
    }

    private static void RefreshDirtyDays(WarehouseConnection warehouse, TimeSpan lockWait, bool needed)
    {
        if (warehouse.ReadOnly)
        {
            var dirty = MartRefresher.DirtyDayCount(warehouse);
            if (dirty > 0 && needed) throw CannotRebuild(warehouse, dirty, "this user may not write to it");
            if (dirty > 0) NotNeeded(warehouse, dirty);
            return;
        }
        try
        {
            MartRefresher.RefreshDirtyDays(warehouse);
        }
        catch (Exception e) when (DatabaseFailures.IsNoWriteAccess(e))
        {
            var dirty = MartRefresher.DirtyDayCount(warehouse);
            if (dirty == 0) throw;
            if (!needed)
            {
                NotNeeded(warehouse, dirty);
                return;
            }
            if (IsStandby(warehouse))
            {
                WaitForThePrimary(warehouse, dirty, lockWait, e);
                return;
            }
            throw CannotRebuild(warehouse, dirty, DatabaseFailures.Explain(e), e);
        }
    }

    private static void NotNeeded(WarehouseConnection warehouse, long days) =>
        Log.Debug("{Days} " + Counting.Noun(days, "day") + " of {Database} await aggregation, which this user may not do; what is read does not depend on it", days, warehouse.Target.Display);

    private static bool IsStandby(WarehouseConnection warehouse) =>
        warehouse.Connection.ExecuteScalar<bool>(warehouse.Sql.Get("warehouse/is_standby"));

    // On a standby, days awaiting aggregation are an ingest on the primary between its commit and its refresh (the
    // primary's lock does not reach here): they clear within seconds, so wait as for a lock instead of failing with
    // exit 11 during every ingest (found by probing ops).
    private static void WaitForThePrimary(WarehouseConnection warehouse, long dirty, TimeSpan lockWait, Exception cause)
    {
        Log.Information("{Days} " + Counting.Noun(dirty, "day") + " of {Database} await aggregation on the primary; waiting up to {Seconds} s for its ingest to finish",
            dirty, warehouse.Target.Display, (int)lockWait.TotalSeconds);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < lockWait)
        {
            Thread.Sleep(500);
            if (MartRefresher.DirtyDayCount(warehouse) == 0) return;
        }
        throw new LlmLogException(ExitCode.Locked, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Counting.Counted(MartRefresher.DirtyDayCount(warehouse), "day")} of {warehouse.Target.Display} still await aggregation on the primary after {lockWait.TotalSeconds:0} s; an ingest there is still running, or was stopped (then run 'llmlog transform' against the primary); try again later or raise --lock-timeout"), cause);
    }

    private static LlmLogException CannotRebuild(WarehouseConnection warehouse, long days, string why, Exception? inner = null) =>
        new(ExitCode.ReadOnly,
            $"{Counting.Counted(days, "day")} of {warehouse.Target.Display} were loaded by an ingest that has not aggregated them yet, and rebuilding them needs write access ({why}); " +
            "run 'llmlog transform' as a user who can write to the warehouse, or wait for the next ingest, then try again", inner);
}
