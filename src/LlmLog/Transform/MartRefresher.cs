using System.Data.Common;
using Dapper;
using LlmLog.Warehouse;

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
    public static int Refresh(WarehouseConnection warehouse, DbTransaction tx)
    {
        var db = warehouse.Connection;
        var days = db.ExecuteScalar<long>(warehouse.Sql.Get("transform/count_dirty_days"), transaction: tx);
        if (days == 0) return 0;
        var parameters = new { refreshed_at = Clock.UtcNowUnspecified() };
        foreach (var model in warehouse.Sql.List("staging").Concat(warehouse.Sql.List("marts")))
        {
            db.Execute(warehouse.Sql.Get(model), parameters, tx, commandTimeout: 0);
        }
        db.Execute(warehouse.Sql.Get("transform/clear_dirty_days"), transaction: tx);
        return (int)days;
    }
}
