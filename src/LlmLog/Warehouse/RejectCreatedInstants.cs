using System.Data;

namespace LlmLog.Warehouse;

/// <summary>
/// Migration V021's step after its column is added: gives the rejects kept before it the instant of their
/// <c>created</c>, read from their raw text as ingest reads it, so that a report in another time zone counts them on
/// their local day (sql/migrations/V021__reject_created_at.sql).
/// </summary>
public static class RejectCreatedInstants
{
    public static void Fill(WarehouseConnection warehouse, IDbTransaction tx) =>
        RejectBackfill.Fill(warehouse, tx, "created_at", static (string _, byte[] _, Validation.ValidationResult outcome, Validation.CallRow _, out DateTime createdAt) =>
        {
            createdAt = outcome.Created is { } c ? DateTime.SpecifyKind(c, DateTimeKind.Unspecified) : default;
            return outcome.Created is not null;
        });
}
