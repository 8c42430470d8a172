using DuckDB.NET.Data;
using LlmLog.Validation;

namespace LlmLog.Loading;

/// <summary>
/// Appends rows through DuckDB's Appender straight into calls and rejects; the Appender joins the
/// file's open transaction, and sql/load/settle_*.duckdb.sql removes duplicates before it commits.
/// </summary>
/// <remarks>
/// DuckDB's Appender gathers about 200,000 rows in memory of its own, outside the memory limit, before
/// it hands them to the table: 100–150 MB of raw records. Each appender is therefore closed (which hands
/// its rows over) after <see cref="RowsPerAppender"/> rows and a new one opened, which keeps that
/// buffer small at no measurable cost (docs/performance.md, "Memory").
/// </remarks>
internal sealed class DuckDbStageWriter(DuckDBConnection connection) : IStageWriter
{
    /// <summary>Rows one appender takes before it is closed and replaced (2,048 and 16,384 measured the same).</summary>
    public const int RowsPerAppender = 8192;

    private DuckDBAppender? _calls = connection.CreateAppender("calls");
    private DuckDBAppender? _rejects = connection.CreateAppender("rejects");
    private int _callsInAppender;
    private int _rejectsInAppender;

    public void WriteCall(CallRow r, long runId, string sourceFile)
    {
        // Column order is the calls table's (sql/migrations/V001__warehouse.sql, then each later ADD COLUMN).
        Next(ref _calls, ref _callsInAppender, "calls").CreateRow()
            .AppendValue(r.RecordId)
            .AppendValue(r.CreatedAt)
            .AppendValue(r.Day)
            .AppendValue(r.Model)
            .AppendValue(r.ModelFamily)
            .AppendValue(r.ModelVersion)
            .AppendValue(r.Stream)
            .AppendValue(r.RequestType)
            .AppendValue(r.MaxTokens)
            .AppendValue(r.Temperature)
            .AppendValue(r.StartedAt)
            .AppendValue(r.EndedAt)
            .AppendValue(r.LatencySeconds)
            .AppendValue(r.TtftSeconds)
            .AppendValue(r.PromptTokens)
            .AppendValue(r.CompletionTokens)
            .AppendValue(r.TotalTokens)
            .AppendValue(r.OutputTokensPerSecond)
            .AppendValue(r.HitMaxTokens)
            .AppendValue(r.LoggedCostUsd)
            .AppendValue(CallFlagNames.Format(r.Flags))
            .AppendValue((r.Flags & CallFlags.TokensMismatch) != 0)
            .AppendValue((r.Flags & CallFlags.MissingUsage) != 0)
            .AppendValue((r.Flags & CallFlags.TtftExceedsLatency) != 0)
            .AppendValue((r.Flags & CallFlags.CompletionExceedsMaxTokens) != 0)
            .AppendValue(sourceFile)
            .AppendValue(r.RecordNumber)
            .AppendValue(r.LineNumber)
            .AppendValue(runId)
            .AppendValue(r.Raw)
            .AppendValue(r.PromptCachedTokens)
            .EndRow();
    }

    public void WriteReject(RejectRow j)
    {
        Next(ref _rejects, ref _rejectsInAppender, "rejects").CreateRow()
            .AppendValue(j.RecordId)
            .AppendValue(j.RunId)
            .AppendValue(j.SourceFile)
            .AppendValue(j.RecordNumber)
            .AppendValue(j.LineNumber)
            .AppendValue(j.ByteOffset)
            .AppendValue(j.Field)
            .AppendValue(j.Reason)
            .AppendValue(j.CreatedDay)
            .AppendValue(j.Raw)
            .AppendValue(j.CallId)
            .AppendNullValue() // loaded_by_run: set by a later run that loads the record as a call
            .AppendValue(j.CreatedAt)
            .EndRow();
    }

    // The appender for the next row of table: a new one once the current has taken RowsPerAppender rows.
    private DuckDBAppender Next(ref DuckDBAppender? appender, ref int rows, string table)
    {
        if (rows == RowsPerAppender)
        {
            var full = appender;
            appender = null;
            try
            {
                full!.Close();
            }
            finally
            {
                DisposeQuietly(ref full);
            }
            appender = connection.CreateAppender(table);
            rows = 0;
        }
        rows++;
        return appender!;
    }

    public void Complete()
    {
        _calls?.Close();
        _rejects?.Close();
        Dispose();
    }

    /// <summary>
    /// Drops the appenders of a load that was abandoned (after <see cref="Complete"/> there are none). Disposing one
    /// flushes its rows, which fails once an earlier failure aborted the transaction: that second error replaced the
    /// first, and a disk that filled while rows were appended was reported as "Current transaction is aborted ... once
    /// the database is back", not as a full disk (found by probing a small disk). The transaction rolls back either way.
    /// </summary>
    public void Dispose()
    {
        DisposeQuietly(ref _calls);
        DisposeQuietly(ref _rejects);
    }

    private static void DisposeQuietly(ref DuckDBAppender? appender)
    {
        try
        {
            appender?.Dispose();
        }
        catch (DuckDBException e)
        {
            // The load is being abandoned for another failure, which is what gets reported; this one is logged.
            Serilog.Log.Debug("Dropping an appender of the abandoned load failed: {Message}", e.Message);
        }
        appender = null;
    }
}
