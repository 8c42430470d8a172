using System.Data;

namespace LlmLog.Warehouse;

/// <summary>
/// Migration V020's first step: gives the rejects an llmlog before V016 kept the id they would have as a call, so that
/// their records, corrected and ingested again, stop counting as rejected (sql/migrations/V020__older_reject_call_ids.sql).
/// </summary>
public static class OlderRejectCallIds
{
    public static void Fill(WarehouseConnection warehouse, IDbTransaction tx) =>
        RejectBackfill.Fill(warehouse, tx, "call_id", static (string _, byte[] _, Validation.ValidationResult outcome, Validation.CallRow row, out string callId) =>
        {
            // The verdict ingest gives the raw text today; a record today's rules accept would load under its row's id.
            callId = (outcome.IsAccepted ? row.RecordId : outcome.CallId)!;
            return callId is not null;
        });
}
