using LlmLog.Validation;

namespace LlmLog.Loading;

/// <summary>
/// Bulk-writes one file's calls and rejects into the staging tables, inside the file's transaction.
/// Each engine uses its own bulk path (PostgreSQL binary COPY, DuckDB's Appender); nothing is
/// inserted row by row.
/// </summary>
public interface IStageWriter : IDisposable
{
    void WriteCall(CallRow row, long runId, string sourceFile);

    void WriteReject(RejectRow reject);

    /// <summary>Flushes everything written so far into the staging tables.</summary>
    void Complete();
}
