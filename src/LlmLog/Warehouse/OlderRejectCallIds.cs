using System.Data;
using System.Text;
using Dapper;
using LlmLog.Validation;

namespace LlmLog.Warehouse;

/// <summary>
/// Migration V020's first step: gives the rejects an llmlog before V016 kept the id they would have as a call, so that
/// their records, corrected and ingested again, stop counting as rejected (sql/migrations/V020__older_reject_call_ids.sql).
/// </summary>
public static class OlderRejectCallIds
{
    // Pages keep memory bounded by the page, not by the warehouse's rejects (their raw text can be large).
    private const int Page = 10_000;

    private sealed record Reject(string RecordId, string Raw);

    public static void Fill(WarehouseConnection warehouse, IDbTransaction tx)
    {
        var db = warehouse.Connection;
        var sql = warehouse.Sql;
        var validator = new CallRecordValidator();
        var row = new CallRow();
        var after = "";
        db.Execute(sql.Get("warehouse/create_reject_call_ids"), transaction: tx);
        while (true)
        {
            var page = db.Query<Reject>(sql.Get("warehouse/rejects_without_call_id"), new { after, page = Page }, tx).ToList();
            if (page.Count == 0) break;
            var recordIds = new List<string>(page.Count);
            var callIds = new List<string>(page.Count);
            foreach (var reject in page)
            {
                // The verdict ingest gives the raw text today; a record today's rules accept would load under its row's id.
                var outcome = validator.Validate(Encoding.UTF8.GetBytes(reject.Raw), row);
                if ((outcome.IsAccepted ? row.RecordId : outcome.CallId) is not { } callId) continue;
                recordIds.Add(reject.RecordId);
                callIds.Add(callId);
            }
            if (recordIds.Count > 0) InsertPage(warehouse, tx, recordIds, callIds);
            after = page[^1].RecordId;
        }
        db.Execute(sql.Get("warehouse/set_reject_call_ids"), transaction: tx, commandTimeout: 0);
        db.Execute(sql.Get("warehouse/drop_reject_call_ids"), transaction: tx);
    }

    // The page's ids as two list parameters of one statement: Dapper, given a list of rows, runs one INSERT per row, and
    // given a list as a value, writes one parameter per element into the SQL.
    private static void InsertPage(WarehouseConnection warehouse, IDbTransaction tx, List<string> recordIds, List<string> callIds)
    {
        using var command = warehouse.Connection.CreateCommand();
        command.Transaction = (System.Data.Common.DbTransaction)tx;
        command.CommandText = warehouse.Sql.Get("warehouse/insert_reject_call_ids");
        foreach (var (name, values) in (ReadOnlySpan<(string, List<string>)>)[("record_ids", recordIds), ("call_ids", callIds)])
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = values;
            command.Parameters.Add(parameter);
        }
        command.ExecuteNonQuery();
    }
}
