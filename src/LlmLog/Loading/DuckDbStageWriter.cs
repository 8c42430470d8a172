using DuckDB.NET.Data;
using LlmLog.Validation;

namespace LlmLog.Loading;

/// <summary>
/// Appends rows through DuckDB's Appender straight into calls and rejects; the Appender joins the
/// file's open transaction, and sql/load/settle_*.duckdb.sql removes duplicates before it commits.
/// </summary>
internal sealed class DuckDbStageWriter(DuckDBConnection connection) : IStageWriter
{
    private DuckDBAppender? _calls = connection.CreateAppender("calls");
    private DuckDBAppender? _rejects = connection.CreateAppender("rejects");

    public void WriteCall(CallRow r, long runId, string sourceFile)
    {
        // Column order is the calls table's (see sql/migrations/V001__warehouse.sql).
        _calls!.CreateRow()
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
            .EndRow();
    }

    public void WriteReject(RejectRow j)
    {
        _rejects!.CreateRow()
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
            .EndRow();
    }

    public void Complete()
    {
        _calls?.Close();
        _rejects?.Close();
        Dispose();
    }

    public void Dispose()
    {
        _calls?.Dispose();
        _rejects?.Dispose();
        _calls = null;
        _rejects = null;
    }
}
