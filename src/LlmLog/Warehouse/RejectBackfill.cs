using System.Data;
using System.Text;
using Dapper;
using LlmLog.Validation;

namespace LlmLog.Warehouse;

/// <summary>
/// Fills a column a migration adds to <c>rejects</c> from each older reject's raw text, read as ingest reads it
/// today (a record's canonical hash or its parsed <c>created</c> is no SQL). For a column <c>c</c> the SQL is in
/// <c>sql/warehouse/</c>: <c>rejects_without_c</c> pages the rejects to fill, <c>create_reject_cs</c> makes a
/// temporary table of (record_id, c), <c>insert_reject_cs</c> adds a page to it, <c>set_reject_cs</c> sets the
/// column from it in one UPDATE (on DuckDB, where rejects have no key, an UPDATE per reject scanned them all each
/// time: 13 s for 10,000), and <c>drop_reject_cs</c> drops it.
/// </summary>
internal static class RejectBackfill
{
    /// <summary>The value of one reject, from its key, its raw bytes and today's verdict on them; false leaves the reject as it is.</summary>
    public delegate bool Reader<T>(string recordId, byte[] raw, ValidationResult outcome, CallRow row, out T value);

    // Pages keep memory bounded by the page, not by the warehouse's rejects (their raw text can be large).
    private const int Page = 10_000;

    private sealed record Reject(string RecordId, string Raw);

    public static void Fill<T>(WarehouseConnection warehouse, IDbTransaction tx, string column, Reader<T> read)
    {
        var db = warehouse.Connection;
        var sql = warehouse.Sql;
        var validator = new CallRecordValidator();
        var row = new CallRow();
        var after = "";
        db.Execute(sql.Get($"warehouse/create_reject_{column}s"), transaction: tx);
        while (true)
        {
            var page = db.Query<Reject>(sql.Get($"warehouse/rejects_without_{column}"), new { after, page = Page }, tx).ToList();
            if (page.Count == 0) break;
            var recordIds = new List<string>(page.Count);
            var values = new List<T>(page.Count);
            foreach (var reject in page)
            {
                var raw = Encoding.UTF8.GetBytes(reject.Raw);
                if (!read(reject.RecordId, raw, validator.Validate(raw, row), row, out var value)) continue;
                recordIds.Add(reject.RecordId);
                values.Add(value);
            }
            if (recordIds.Count > 0) InsertPage(warehouse, tx, $"warehouse/insert_reject_{column}s", recordIds, $"{column}s", values);
            after = page[^1].RecordId;
        }
        db.Execute(sql.Get($"warehouse/set_reject_{column}s"), transaction: tx, commandTimeout: 0);
        db.Execute(sql.Get($"warehouse/drop_reject_{column}s"), transaction: tx);
    }

    // The page as two list parameters of one statement: Dapper, given a list of rows, runs one INSERT per row (4 s for
    // 10,000 on DuckDB), and given a list as a value, writes one parameter per element into the SQL.
    private static void InsertPage<T>(WarehouseConnection warehouse, IDbTransaction tx, string sqlName, List<string> recordIds, string valuesName, List<T> values)
    {
        using var command = warehouse.Connection.CreateCommand();
        command.Transaction = (System.Data.Common.DbTransaction)tx;
        command.CommandText = warehouse.Sql.Get(sqlName);
        foreach (var (name, list) in (ReadOnlySpan<(string, object)>)[("record_ids", recordIds), (valuesName, values)])
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = list;
            command.Parameters.Add(parameter);
        }
        command.ExecuteNonQuery();
    }
}
