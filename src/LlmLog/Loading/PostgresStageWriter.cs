using LlmLog.Validation;
using Npgsql;
using NpgsqlTypes;

namespace LlmLog.Loading;

/// <summary>
/// Stages rows through Npgsql binary COPY. A connection runs one COPY at a time, so rejects wait in a
/// small batch and are copied between two stretches of calls; memory stays bounded either way.
/// </summary>
internal sealed class PostgresStageWriter(NpgsqlConnection connection, string copyCallsSql, string copyRejectsSql) : IStageWriter
{
    private const int RejectBatch = 1_000;

    private readonly List<RejectRow> _pendingRejects = [];
    private NpgsqlBinaryImporter? _calls;

    public void WriteCall(CallRow r, long runId, string sourceFile)
    {
        var w = _calls ??= connection.BeginBinaryImport(copyCallsSql);
        w.StartRow();
        // Column order is the calls table's (see sql/migrations/V001__warehouse.sql).
        w.Write(r.RecordId, NpgsqlDbType.Text);
        w.Write(Unzoned(r.CreatedAt), NpgsqlDbType.Timestamp);
        w.Write(r.Day, NpgsqlDbType.Date);
        w.Write(r.Model, NpgsqlDbType.Text);
        w.Write(r.ModelFamily, NpgsqlDbType.Text);
        WriteNullable(w, r.ModelVersion, NpgsqlDbType.Text);
        WriteNullable(w, r.Stream, NpgsqlDbType.Boolean);
        WriteNullable(w, r.RequestType, NpgsqlDbType.Text);
        WriteNullable(w, r.MaxTokens, NpgsqlDbType.Bigint);
        WriteNullable(w, r.Temperature, NpgsqlDbType.Double);
        WriteNullable(w, r.StartedAt is { } s ? Unzoned(s) : (DateTime?)null, NpgsqlDbType.Timestamp);
        WriteNullable(w, r.EndedAt is { } e ? Unzoned(e) : (DateTime?)null, NpgsqlDbType.Timestamp);
        WriteNullable(w, r.LatencySeconds, NpgsqlDbType.Double);
        WriteNullable(w, r.TtftSeconds, NpgsqlDbType.Double);
        WriteNullable(w, r.PromptTokens, NpgsqlDbType.Bigint);
        WriteNullable(w, r.CompletionTokens, NpgsqlDbType.Bigint);
        WriteNullable(w, r.TotalTokens, NpgsqlDbType.Bigint);
        WriteNullable(w, r.OutputTokensPerSecond, NpgsqlDbType.Double);
        WriteNullable(w, r.HitMaxTokens, NpgsqlDbType.Boolean);
        WriteNullable(w, r.LoggedCostUsd, NpgsqlDbType.Double);
        w.Write(CallFlagNames.Format(r.Flags), NpgsqlDbType.Text);
        w.Write((r.Flags & CallFlags.TokensMismatch) != 0, NpgsqlDbType.Boolean);
        w.Write((r.Flags & CallFlags.MissingUsage) != 0, NpgsqlDbType.Boolean);
        w.Write((r.Flags & CallFlags.TtftExceedsLatency) != 0, NpgsqlDbType.Boolean);
        w.Write((r.Flags & CallFlags.CompletionExceedsMaxTokens) != 0, NpgsqlDbType.Boolean);
        w.Write(sourceFile, NpgsqlDbType.Text);
        w.Write(r.RecordNumber, NpgsqlDbType.Bigint);
        WriteNullable(w, r.LineNumber, NpgsqlDbType.Bigint);
        w.Write(runId, NpgsqlDbType.Bigint);
        w.Write(r.Raw, NpgsqlDbType.Text);
        WriteNullable(w, r.PromptCachedTokens, NpgsqlDbType.Bigint);
    }

    public void WriteReject(RejectRow reject)
    {
        _pendingRejects.Add(reject);
        if (_pendingRejects.Count >= RejectBatch) FlushRejects();
    }

    public void Complete()
    {
        CloseCalls();
        FlushRejects();
    }

    public void Dispose()
    {
        // Disposing an importer without Complete() cancels its COPY; the file's transaction then rolls back.
        if (_calls is null) return;
        try
        {
            _calls.Dispose();
        }
        catch (PostgresException)
        {
            // The server had already refused a row (the duplicate key a straight copy meets): Npgsql throws that error
            // from the cancel and leaves the connection mid-COPY until the importer is disposed once more. The error that
            // abandoned the load is the one to tell: a gzip cut short there ended the run with "already in state 'Copy'",
            // exit 4, the next files unread (found by re-probing).
            _calls.Dispose();
        }
        finally
        {
            _calls = null;
        }
    }

    private void CloseCalls()
    {
        if (_calls is null) return;
        _calls.Complete();
        _calls.Dispose();
        _calls = null;
    }

    private void FlushRejects()
    {
        if (_pendingRejects.Count == 0) return;
        CloseCalls();
        using var w = connection.BeginBinaryImport(copyRejectsSql);
        foreach (var j in _pendingRejects)
        {
            w.StartRow();
            w.Write(j.RecordId, NpgsqlDbType.Text);
            w.Write(j.RunId, NpgsqlDbType.Bigint);
            w.Write(j.SourceFile, NpgsqlDbType.Text);
            w.Write(j.RecordNumber, NpgsqlDbType.Bigint);
            WriteNullable(w, j.LineNumber, NpgsqlDbType.Bigint);
            WriteNullable(w, j.ByteOffset, NpgsqlDbType.Bigint);
            WriteNullable(w, j.Field, NpgsqlDbType.Text);
            w.Write(j.Reason, NpgsqlDbType.Text);
            WriteNullable(w, j.CreatedDay, NpgsqlDbType.Date);
            w.Write(j.Raw, NpgsqlDbType.Text);
            WriteNullable(w, j.CallId, NpgsqlDbType.Text);
            w.WriteNull(); // loaded_by_run: set by a later run that loads the record as a call
            WriteNullable(w, j.CreatedAt is { } c ? Unzoned(c) : (DateTime?)null, NpgsqlDbType.Timestamp);
        }
        w.Complete();
        _pendingRejects.Clear();
    }

    private static DateTime Unzoned(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

    private static void WriteNullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type) where T : class
    {
        if (value is null) w.WriteNull();
        else w.Write(value, type);
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) w.Write(v, type);
        else w.WriteNull();
    }
}
