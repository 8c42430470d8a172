using System.Data.Common;
using System.Globalization;
using Dapper;
using LlmLog.Warehouse;

namespace LlmLog.Loading;

/// <summary>
/// The copies of loaded ids that a run left out although they differ from the call kept, as the settle step counted
/// them (<c>sql/load/settle_calls.postgres.sql</c>): how many, one of their ids, and per field of the record how many differ in
/// it. The fields are the statement's other columns, so the SQL alone names them.
/// </summary>
internal static class DifferingCopies
{
    /// <summary>Puts what the settle step counted into <paramref name="result"/>.</summary>
    public static void Read(DbConnection db, SqlCatalog sql, DbTransaction tx, FileResult result)
    {
        var row = (IDictionary<string, object?>)db.QuerySingle(sql.Get("load/differing_copies"), transaction: tx);
        static long Count(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        result.DuplicatesDiffering = Count(row["copies"]);
        result.DifferingExampleId = row["example_id"] as string;
        result.DifferingFields = row
            .Where(column => column.Key is not ("copies" or "example_id") && Count(column.Value) > 0)
            .ToDictionary(column => column.Key, column => Count(column.Value));
    }
}
