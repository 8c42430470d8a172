using System.Globalization;
using Dapper;
using LlmLog.Warehouse;

namespace LlmLog.Transform;

/// <summary>What summary and report say when the warehouse holds no call at all.</summary>
public static class NoCalls
{
    public static string Message(WarehouseConnection warehouse)
    {
        var rejected = warehouse.Connection.ExecuteScalar<long>(warehouse.Sql.Get("metrics/count_rejects"));
        return rejected == 0
            ? $"{warehouse.Target.Display} has no calls yet; run 'llmlog ingest FILE' first"
            : string.Create(CultureInfo.InvariantCulture,
                $"{warehouse.Target.Display} has no calls yet: all {rejected:N0} records ingested so far failed validation; see why with 'llmlog export --table rejects --out -'");
    }
}
