using System.Diagnostics;
using Dapper;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Transform;

/// <summary>How <c>llmlog transform</c> should behave.</summary>
public sealed record TransformOptions
{
    /// <summary>Rebuild every day, not only the days ingest marked dirty.</summary>
    public bool Full { get; init; }

    /// <summary>Price every call again with the table in force (rewrites closed history, on purpose).</summary>
    public bool Reprice { get; init; }

    /// <summary>Do the work in a transaction, report what would change, and roll it back.</summary>
    public bool DryRun { get; init; }

    /// <summary>A user's price table to put in force first.</summary>
    public string? PricesPath { get; init; }

    /// <summary>How long to wait for another llmlog run to release the database.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most calls one slice of days is rebuilt or compared from (tests make it small to cross slices).</summary>
    internal long CallsPerSlice { get; init; } = MartRefresher.CallsPerSlice;
}

/// <summary>How repricing changed one UTC day.</summary>
public sealed record RepriceDayChange(
    DateOnly Day, long ChangedCalls, double? BeforeCostUsd, double? AfterCostUsd, long BeforeUnpricedCalls, long AfterUnpricedCalls);

/// <summary>What one <c>llmlog transform</c> did (or, with --dry-run, would do).</summary>
public sealed class TransformResult
{
    public required string Database { get; init; }
    public bool DryRun { get; init; }
    public bool Full { get; init; }
    public bool Reprice { get; init; }
    public int DaysRebuilt { get; set; }
    public PriceTableInfo? PriceTable { get; set; }

    /// <summary>The <c>--prices</c> file as given, if any: under <c>--dry-run</c> it is not in force afterwards.</summary>
    public string? PricesPath { get; init; }

    /// <summary>Calls whose cost was fixed under another price table; <c>--reprice</c> would price them again.</summary>
    public long CallsPricedUnderOtherTables { get; set; }

    public List<RepriceDayChange> Changes { get; } = [];
    public double Seconds { get; set; }
}

/// <summary>
/// <c>llmlog transform</c>: optionally put a new price table in force, optionally mark every day dirty
/// (<c>--full</c>) or price every call again (<c>--reprice</c>), and rebuild the marts — one transaction,
/// rolled back under <c>--dry-run</c>.
/// </summary>
public static class TransformRunner
{
    public static TransformResult Run(DatabaseTarget target, TransformOptions options, string? sqlRoot = null, string? defaultPricesPath = null)
    {
        var clock = Stopwatch.StartNew();
        var result = new TransformResult
        {
            Database = target.Display, DryRun = options.DryRun, Full = options.Full, Reprice = options.Reprice, PricesPath = options.PricesPath,
        };
        // Read the user's file before touching the database, so a bad file fails fast and changes nothing.
        var prices = options.PricesPath is null ? default : PriceFile.Read(options.PricesPath);

        using var warehouse = WarehouseConnection.Open(target, options.LockTimeout, sqlRoot);
        warehouse.AcquireWriterLock(options.LockTimeout);
        var db = warehouse.Connection;
        var sql = warehouse.Sql;
        if (options.PricesPath is null && !options.DryRun) PriceTables.EnsureLoaded(warehouse, defaultPricesPath);
        using var tx = db.BeginTransaction();
        if (options.PricesPath is null && options.DryRun) PriceTables.EnsureLoaded(warehouse, defaultPricesPath, within: tx);
        // Where a transform stopped midway rolls back to (FaultInjectionTests starts its kills from this line).
        Log.Debug("Began the transform's transaction: every day it rebuilds commits at once, or none does");

        // A day's costs are fixed when it is first built, with the table in force then: the user's new one if given.
        var loaded = options.PricesPath is null ? null : PriceTables.Load(warehouse, options.PricesPath, prices, tx);
        result.PriceTable = PriceTables.InForce(warehouse, tx);
        result.DaysRebuilt = MartRefresher.Refresh(warehouse, tx, options.CallsPerSlice);

        if (options.Reprice)
        {
            db.Execute(sql.Get("transform/set_aside_call_costs"), transaction: tx);
            db.Execute(sql.Get("transform/mark_all_days_dirty"), transaction: tx);
            result.DaysRebuilt = MartRefresher.Refresh(warehouse, tx, options.CallsPerSlice);
            foreach (var slice in MartRefresher.CostDaySlices(warehouse, tx, options.CallsPerSlice))
            {
                var range = new { first_day = DbValues.Midnight(slice[0]), last_day = DbValues.Midnight(slice[^1]) };
                result.Changes.AddRange(db.Query<ChangeRow>(sql.Get("transform/reprice_changes"), range, tx, commandTimeout: 0).Select(r => r.ToChange()));
            }
            db.Execute(sql.Get("transform/drop_previous_call_costs"), transaction: tx);
        }
        else if (options.Full)
        {
            db.Execute(sql.Get("transform/mark_all_days_dirty"), transaction: tx);
            result.DaysRebuilt = MartRefresher.Refresh(warehouse, tx, options.CallsPerSlice);
        }
        result.CallsPricedUnderOtherTables = db.ExecuteScalar<long>(sql.Get("transform/costs_priced_under_other_tables"), transaction: tx);

        if (options.DryRun)
        {
            tx.Rollback();
            Log.Information("Dry run: nothing was written");
        }
        else
        {
            tx.Commit();
            if (loaded is not null) PriceTables.LogInForce(loaded);
        }
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    // Dapper maps by column name; the snake_case names match the SQL. Dates arrive as DateTime (Npgsql) or DateOnly (DuckDB).
#pragma warning disable IDE1006, CA1812
    private sealed class ChangeRow
    {
        public object day { get; set; } = DateOnly.MinValue;
        public long changed_calls { get; set; }
        public double? before_cost_usd { get; set; }
        public double? after_cost_usd { get; set; }
        public long before_unpriced_calls { get; set; }
        public long after_unpriced_calls { get; set; }

        public RepriceDayChange ToChange() =>
            new(DbValues.Day(day), changed_calls, before_cost_usd, after_cost_usd, before_unpriced_calls, after_unpriced_calls);
    }
#pragma warning restore IDE1006, CA1812
}
