using System.Globalization;
using Dapper;
using LlmLog.Warehouse;

namespace LlmLog.Transform;

/// <summary>What summary and report say when the warehouse holds no call at all, or none of a selection.</summary>
public static class NoCalls
{
    /// <summary>
    /// What to change when a selection matches no call: only the filters that were given ("widen --from/--to" was said
    /// to a --model in the wrong case, with no --from or --to).
    /// </summary>
    public static string Hint(bool datesGiven, bool modelGiven) => (datesGiven, modelGiven) switch
    {
        (true, true) => "widen --from/--to or check --model (model names are case-sensitive)",
        (false, true) => "check --model (model names are case-sensitive: gpt-4o, not GPT-4o)",
        _ => "widen --from/--to",
    };

    public static string Message(WarehouseConnection warehouse)
    {
        var rejected = warehouse.Connection.ExecuteScalar<long>(warehouse.Sql.Get("metrics/count_rejects"));
        return rejected == 0
            ? $"{warehouse.Target.Display} has no calls yet; run 'llmlog ingest FILE' first"
            : string.Create(CultureInfo.InvariantCulture,
                $"{warehouse.Target.Display} has no calls yet: all {rejected:N0} records ingested so far failed validation; see why with 'llmlog export --table rejects --out -'");
    }
}
