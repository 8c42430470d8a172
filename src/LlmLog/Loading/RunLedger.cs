using System.Globalization;
using System.Text;
using Dapper;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Loading;

/// <summary>One row of <c>ingest_runs</c>, as <c>llmlog runs</c> shows it.</summary>
public sealed record LedgerRun(
    long RunId, string FilePath, DateTime StartedAt, string Status, long RecordsRead, long RecordsLoaded, long RecordsDuplicate,
    long RecordsRejected, string? Message, long? CompletedByRun, DateTime? ResolvedAt, string? ResolvedNote, bool ReadBytes)
{
    /// <summary>
    /// Failed or cut short, and neither completed by a later run nor resolved by hand: the records it did not read may be
    /// missing from every number (the report's <c>IngestRunRow.Incomplete</c> asks the same).
    /// </summary>
    public bool Open => Status is "failed" or "partial" && CompletedByRun is null && ResolvedAt is null;
}

/// <summary>What <c>llmlog runs</c> listed: the newest runs asked for, how many there are in all, and how many of all are open.</summary>
public sealed record LedgerListing(IReadOnlyList<LedgerRun> Runs, long Total, bool OpenOnly, long OpenTotal)
{
    /// <summary>Whether the warehouse records no ingest run at all, open or not.</summary>
    public bool NoRunYet { get; init; }
}

/// <summary>What <c>llmlog runs resolve</c> or <c>llmlog runs reopen</c> did with one run it was given.</summary>
public enum Resolution
{
    /// <summary>Resolved now, with the note given.</summary>
    Resolved,

    /// <summary>Resolved before: its first note and time stay.</summary>
    AlreadyResolved,

    /// <summary>A later run read the whole file: nothing of it is missing, nothing to resolve.</summary>
    AlreadyCompleted,

    /// <summary>Its resolution undone (<c>llmlog runs reopen</c>): the report lists it again.</summary>
    Reopened,

    /// <summary>Given to <c>llmlog runs reopen</c>, but not resolved: left as it was.</summary>
    NotResolved,
}

/// <summary>
/// One run given to <c>llmlog runs resolve</c> or <c>reopen</c>, or read from the same file as one given (<paramref name="With"/>),
/// as it is afterwards, and what was done.
/// </summary>
public sealed record ResolvedRun(LedgerRun Run, Resolution Outcome, long? With = null);

/// <summary>
/// The ledger of ingest runs (<c>ingest_runs</c>) as people read and settle it: the runs that failed or were cut short
/// and that no later run completed, and their resolution by hand when their records came in a way no run can recognise
/// (a cut log moved to another folder, a cut pipe sent again, an error page replaced by the real export: docs/ingest.md).
/// </summary>
public static class RunLedger
{
    /// <summary>The longest note <c>--note</c> takes: a sentence or a ticket's address, not a document.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>The newest <paramref name="limit"/> runs (0: every one), only the open ones with <paramref name="openOnly"/>.</summary>
    public static LedgerListing List(WarehouseConnection warehouse, bool openOnly, int limit)
    {
        var db = warehouse.Connection;
        // One statement: the rows, with how many match and how many are open counted over all of them before the limit.
        var rows = db.Query<ListedRow>(warehouse.Sql.Get("runs/list_runs"), new { open_only = openOnly, limit = limit == 0 ? long.MaxValue : limit }).ToList();
        // No open run says nothing of the others: a warehouse that never had a run was said to have had every failed run completed.
        var noRunYet = rows.Count == 0 && (!openOnly || !db.ExecuteScalar<bool>(warehouse.Sql.Get("runs/any_run")));
        return new LedgerListing(rows.Select(r => r.Run.ToRun()).ToList(), rows.FirstOrDefault()?.total ?? 0, openOnly, rows.FirstOrDefault()?.open_total ?? 0)
        {
            NoRunYet = noRunYet,
        };
    }

    /// <summary>
    /// Resolves each of <paramref name="runIds"/> with <paramref name="note"/>, in one transaction: every id must name a
    /// run that failed or was cut short, or none is changed (a mistyped id is told, not half applied). Runs resolved
    /// before keep their first note, and runs a later run completed are left as they are; both are said. The other
    /// unfinished runs of the same file as a run resolved now are resolved with it (sql/runs/find_same_file_runs.sql).
    /// </summary>
    public static IReadOnlyList<ResolvedRun> Resolve(WarehouseConnection warehouse, IReadOnlyList<long> runIds, string note, TimeSpan lockTimeout)
    {
        note = CheckNote(note);
        warehouse.AcquireWriterLock(lockTimeout);
        var db = warehouse.Connection;
        var sql = warehouse.Sql;
        using var tx = db.BeginTransaction();
        var found = Find(warehouse, runIds, "resolved", tx);
        var resolvedAt = Clock.UtcNowUnspecified();
        var results = new List<ResolvedRun>();
        foreach (var (id, run) in found)
        {
            if (run.ResolvedAt is not null)
            {
                results.Add(new ResolvedRun(run, Resolution.AlreadyResolved));
                // A forced re-read of its file since, failed or cut short again, goes with it now: it was left open without
                // a word while reruns passed on the resolved run (found by probing).
                ResolveSameFileRuns(id);
            }
            else if (run.CompletedByRun is not null)
            {
                results.Add(new ResolvedRun(run, Resolution.AlreadyCompleted));
            }
            else
            {
                db.Execute(sql.Get("runs/resolve_run"), new { run_id = id, resolved_at = resolvedAt, resolved_note = note }, tx);
                results.Add(new ResolvedRun(run with { ResolvedAt = resolvedAt, ResolvedNote = note }, Resolution.Resolved));
                Log.Debug("Resolved run {RunId} of {Path} by hand: {Note}", id, run.FilePath, note);
                ResolveSameFileRuns(id);
            }
        }
        tx.Commit();
        return results;

        void ResolveSameFileRuns(long id)
        {
            foreach (var same in SameFileRuns(warehouse, id, tx).Where(r => r.ResolvedAt is null && !Given(found, r.RunId)))
            {
                db.Execute(sql.Get("runs/resolve_run"), new { run_id = same.RunId, resolved_at = resolvedAt, resolved_note = note }, tx);
                results.Add(new ResolvedRun(same with { ResolvedAt = resolvedAt, ResolvedNote = note }, Resolution.Resolved, With: id));
            }
        }
    }

    /// <summary>
    /// Undoes <see cref="Resolve"/> for each of <paramref name="runIds"/>, in one transaction, under the same rule: every
    /// id must name a run that failed or was cut short, or none is changed. Runs that were not resolved are said.
    /// </summary>
    public static IReadOnlyList<ResolvedRun> Reopen(WarehouseConnection warehouse, IReadOnlyList<long> runIds, TimeSpan lockTimeout)
    {
        warehouse.AcquireWriterLock(lockTimeout);
        var db = warehouse.Connection;
        using var tx = db.BeginTransaction();
        var results = new List<ResolvedRun>();
        var found = Find(warehouse, runIds, "reopened", tx);
        foreach (var (id, run) in found)
        {
            // A run a later run completed misses nothing, resolved or not: "reopened" said the report would list it again,
            // and it did not (found by probing).
            if (run.CompletedByRun is not null)
            {
                results.Add(new ResolvedRun(run, Resolution.AlreadyCompleted));
                continue;
            }
            if (run.ResolvedAt is null)
            {
                results.Add(new ResolvedRun(run, Resolution.NotResolved));
                continue;
            }
            db.Execute(warehouse.Sql.Get("runs/reopen_run"), new { run_id = id }, tx);
            results.Add(new ResolvedRun(run with { ResolvedAt = null, ResolvedNote = null }, Resolution.Reopened));
            Log.Debug("Reopened run {RunId} of {Path}, resolved before with: {Note}", id, run.FilePath, run.ResolvedNote);
            // Only those resolved with it, in the same call: another resolution of the same file, with its own note, stays
            // (found by review).
            foreach (var same in SameFileRuns(warehouse, id, tx).Where(r => r.ResolvedAt == run.ResolvedAt && !Given(found, r.RunId)))
            {
                db.Execute(warehouse.Sql.Get("runs/reopen_run"), new { run_id = same.RunId }, tx);
                results.Add(new ResolvedRun(same with { ResolvedAt = null, ResolvedNote = null }, Resolution.Reopened, With: id));
            }
        }
        tx.Commit();
        return results;
    }

    /// <summary>The other unfinished runs of the same file as <paramref name="runId"/> (sql/runs/find_same_file_runs.sql).</summary>
    private static List<LedgerRun> SameFileRuns(WarehouseConnection warehouse, long runId, System.Data.Common.DbTransaction tx) =>
        warehouse.Connection.Query<Row>(warehouse.Sql.Get("runs/find_same_file_runs"), new { run_id = runId }, tx).Select(r => r.ToRun()).ToList();

    /// <summary>
    /// Whether the person gave the run too: it is done in its own turn, once. (One done with another given run is
    /// passed over by its state: resolved, or reopened, already.)
    /// </summary>
    private static bool Given(List<(long Id, LedgerRun Run)> given, long runId) => given.Any(g => g.Id == runId);

    /// <summary>The runs <paramref name="runIds"/> name, each once; a refusal when any is unknown or did not fail or get cut short.</summary>
    private static List<(long Id, LedgerRun Run)> Find(WarehouseConnection warehouse, IReadOnlyList<long> runIds, string done, System.Data.Common.DbTransaction tx)
    {
        var found = runIds.Distinct()
            .Select(id => (Id: id, Run: warehouse.Connection.QueryFirstOrDefault<Row>(warehouse.Sql.Get("runs/find_run"), new { run_id = id }, tx)?.ToRun()))
            .ToList();
        var wrong = found.Where(f => f.Run is null || f.Run.Status is not ("failed" or "partial")).Select(f => f.Run is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"run {f.Id} {Described(r.Status)}, so nothing of it is missing")
            : string.Create(CultureInfo.InvariantCulture, $"there is no run {f.Id}")).ToList();
        if (wrong.Count > 0)
        {
            // 5,000 unknown ids made one line of 109 KB (found by probing).
            var named = string.Join("; ", wrong.Take(NamedWrongRuns))
                + (wrong.Count > NamedWrongRuns ? string.Create(CultureInfo.InvariantCulture, $"; and {wrong.Count - NamedWrongRuns} more") : "");
            throw new LlmLogException(ExitCode.Usage, $"{warehouse.Target.Display}: {named}; only runs that failed or were cut short can be {done} "
                + (done == "reopened" ? "('llmlog runs --all' lists the resolved ones)" : "('llmlog runs' lists those still open)") + "; nothing was changed");
        }
        return found.Select(f => (f.Id, f.Run!)).ToList();
    }

    /// <summary>
    /// The note as it is stored: trimmed, one that shows something, on one line (no control character, line or
    /// paragraph separator, or bidirectional override that would turn the rest of a table cell around), and at most
    /// <see cref="MaxNoteLength"/> characters (Unicode scalar values: an emoji is one).
    /// </summary>
    internal static string CheckNote(string note)
    {
        var trimmed = note.Trim();
        if (trimmed.EnumerateRunes().All(r => Rune.IsWhiteSpace(r) || Rune.GetUnicodeCategory(r) == UnicodeCategory.Format))
        {
            throw new ArgumentException("--note must say what became of the run's records (where they were loaded from, or why they are not needed)");
        }
        var length = trimmed.EnumerateRunes().Count();
        if (length > MaxNoteLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--note is {length} characters long; keep it to {MaxNoteLength} (the report prints it under its runs table), and link to the rest"));
        }
        if (trimmed.EnumerateRunes().Any(NotOnOneLine))
        {
            throw new ArgumentException("--note must be one line of plain text, without control characters (line breaks, tabs), line or paragraph separators, or direction overrides");
        }
        return trimmed;
    }

    private static bool NotOnOneLine(Rune r) =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || r.Value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069;

    /// <summary>The runs a refusal names one by one; more are counted.</summary>
    private const int NamedWrongRuns = 10;

    private static string Described(string status) => status switch
    {
        "succeeded" => "succeeded",
        "skipped" => "was skipped (its bytes were read before)",
        "running" => "is still running, or was stopped and rolled back",
        _ => $"is {status}",
    };

    // Dapper maps by column name; the snake_case names match the SQL.
#pragma warning disable IDE1006, CA1812
    private sealed record Row(
        long run_id, string file_path, DateTime started_at, string status, long records_read, long records_loaded, long records_duplicate,
        long records_rejected, string? message, long? completed_by_run, DateTime? resolved_at, string? resolved_note, bool read_bytes)
    {
        public LedgerRun ToRun() => new(run_id, file_path, started_at, status, records_read, records_loaded, records_duplicate,
            records_rejected, message, completed_by_run, resolved_at, resolved_note, read_bytes);
    }

    private sealed record ListedRow(
        long run_id, string file_path, DateTime started_at, string status, long records_read, long records_loaded, long records_duplicate,
        long records_rejected, string? message, long? completed_by_run, DateTime? resolved_at, string? resolved_note, bool read_bytes,
        long total, long open_total)
    {
        public Row Run => new(run_id, file_path, started_at, status, records_read, records_loaded, records_duplicate,
            records_rejected, message, completed_by_run, resolved_at, resolved_note, read_bytes);
    }
#pragma warning restore IDE1006, CA1812
}
