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
        var db = warehouse.Connection;
        using var tx = db.BeginTransaction();
        var days = db.ExecuteScalar<long>(warehouse.Sql.Get("transform/count_dirty_days"), transaction: tx);
        if (days == 0) return 0;
        foreach (var model in warehouse.Sql.List("staging").Concat(warehouse.Sql.List("marts")))
        {
            db.Execute(warehouse.Sql.Get(model), transaction: tx, commandTimeout: 0);
        }
        db.Execute(warehouse.Sql.Get("transform/clear_dirty_days"), transaction: tx);
        tx.Commit();
        return (int)days;
    }
}
