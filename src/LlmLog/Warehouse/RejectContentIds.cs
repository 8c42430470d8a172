using System.Data;

namespace LlmLog.Warehouse;

/// <summary>
/// Migration V024's step: keys each reject an llmlog before it kept by the hash of its record's canonical JSON, as
/// ingest keys a rejected record now, so that the same bad record sent again in another layout is found already kept
/// (sql/migrations/V024__reject_content_ids.sql). Rejects that are no JSON object keep the hash of their bytes, and the
/// unreadable rest of a cut-off input, keyed by its input too, keeps its key.
/// </summary>
public static class RejectContentIds
{
    public static void Fill(WarehouseConnection warehouse, IDbTransaction tx) =>
        RejectBackfill.Fill(warehouse, tx, "content_id", static (string recordId, byte[] raw, Validation.ValidationResult outcome, Validation.CallRow _, out string contentId) =>
        {
            contentId = outcome.ContentId!;
            // Keyed by its bytes ('<hash>' or, for the k-th copy in its input, '<hash>-k'): a cut-off rest's key is not.
            var bytesId = Validation.RecordId.OfBytes(raw);
            var keyedByBytes = recordId == bytesId || (recordId.StartsWith(bytesId + "-", StringComparison.Ordinal) && recordId.Length > bytesId.Length + 1);
            return outcome.ContentId is not null && keyedByBytes;
        });
}
