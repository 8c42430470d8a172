using System.Diagnostics;
using System.Text;
using Dapper;
using DuckDB.NET.Data;
using LlmLog.Reading;
using LlmLog.Transform;
using LlmLog.Validation;
using LlmLog.Warehouse;
using Npgsql;
using Serilog;

namespace LlmLog.Loading;

/// <summary>
/// Loads one input as one transaction: its run row, its accepted calls and its rejects land together
/// or not at all, so a crash mid-file leaves the warehouse as it was and the next run completes it.
/// </summary>
public sealed class FileIngester(WarehouseConnection? warehouse, Action<IngestProgress>? progress = null)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Rejects named one per line in the log per input; the rest are counted, and all are in the rejects table.</summary>
    public const int MaxLoggedRejects = 20;

    // The size, SHA-256 and modification time of the input Ingest hashed last, for RecordFailure when it then could not be read.
    private (string Path, long? Size, string? Sha256, DateTime? ModifiedAt)? _identified;

    // The regular file Ingest is reading, open since it was hashed: every read of it goes through this (HashedFile).
    private HashedFile? _file;

    // The record number under which the line counting the rejects not named is held: no record has it.
    private const long SummaryLine = -1;

    private readonly CallRecordValidator _validator = new();

    /// <summary>An input's identity started before the warehouse opened (the run's first file); the rest are read in turn.</summary>
    public IdentityReadAhead? IdentityAhead { get; init; }

    /// <summary>Reads, validates and (unless <paramref name="dryRun"/>) loads one input.</summary>
    public FileResult Ingest(InputSource source, bool force, bool dryRun, Stream? standardInput = null)
    {
        _identified = null;
        _file = null;
        if (source.Unreadable is { } why) throw new LlmLogException(ExitCode.InputError, why);
        var clock = Stopwatch.StartNew();
        var result = new FileResult { Path = source.IsStandardInput ? source.DisplayName : Path.GetFullPath(source.Path) };
        // Standard input and a named pipe are read once, as they stream in, so they have no hash to be skipped by.
        var readOnce = standardInput;
        var once = source.IsStandardInput;
        FileStamp? hashed = null;
        var unchanged = force || dryRun ? null : UnchangedSinceLoaded(source, result);
        if (unchanged is { } stamp)
        {
            // Passed over unread: its bytes are those of the run that loaded it, as its path, size and modification time say.
            // A failure to read it after all (a resolved failed run's file, reopened since) is recorded with them, so
            // that it goes with the runs of the same file (found by review).
            hashed = stamp;
            _identified = (result.Path, stamp.Length, result.Sha256, ModifiedAt(stamp));
            IdentityAhead?.Abandon(source.Path);
            _file = HashedFile.NotYetOpened(source.Path);
        }
        else if (!source.IsStandardInput)
        {
            var identity = IdentityAhead is { } ahead ? ahead.Take(source.Path) : InputFiles.Identify(source.Path);
            result.SizeBytes = identity.SizeBytes;
            result.Sha256 = identity.Sha256;
            _identified = (result.Path, identity.SizeBytes, identity.Sha256, ModifiedAt(identity.Stamp));
            readOnce = identity.ReadOnce;
            once = readOnce is not null;
            hashed = identity.Stamp;
            _file = identity.File;
        }
        using var file = _file;
        // Reading closes it; this closes a pipe opened here when the file fails before it is read.
        using var openedHere = source.IsStandardInput ? null : readOnce;

        if (dryRun || warehouse is null)
        {
            var valid = new WrittenTally();
            ReadAll(source, result, readOnce, sink: null, runId: 0, valid);
            // Nothing is loaded or kept; Valid (read - invalid) is what a load would keep before duplicates, which only
            // the database can tell.
            result.Flagged = valid.Flagged;
            result.Status = result.Status == FileStatus.Partial ? FileStatus.Partial : FileStatus.Validated;
            result.Seconds = clock.Elapsed.TotalSeconds;
            return result;
        }

        var db = warehouse.Connection;
        var sql = warehouse.Sql;
        var startedAt = Clock.UtcNowUnspecified();
        if (!force && result.Sha256 is not null
            && db.QueryFirstOrDefault<LoadedBefore>(sql.Get("load/find_loaded_file"), new { file_sha256 = result.Sha256, file_path = result.Path, file_modified_at = ModifiedAt(hashed) }) is { } earlier)
        {
            var earlierRun = earlier.run_id;
            // Skipped unread, it adds no row: a landing folder that keeps its files would add one for each of them every run.
            if (unchanged is null)
            {
                using var tx = db.BeginTransaction();
                var skippedRun = db.ExecuteScalar<long>(sql.Get("load/record_skipped_run"), new
                {
                    file_path = result.Path,
                    file_size = result.SizeBytes,
                    file_sha256 = result.Sha256,
                    started_at = startedAt,
                    message = $"same bytes as run {earlierRun}",
                    tool_version = ToolInfo.Version,
                    // A file skipped as still incomplete is read again next time, in case it was completed meanwhile.
                    file_modified_at = earlier.status == "partial" && earlier.completed_by_run is null && earlier.resolved_at is null ? null : ModifiedAt(hashed),
                }, tx);
                // Bytes loaded before, under another path or another modification time, still complete the runs that
                // read this path cut short or could not open it: skipped, it left them listed as missing records, and
                // the report's advice to read the file again changed nothing (found by review). Only bytes a run loaded
                // whole: cut bytes complete nothing, as a run that finds its file cut short completes nothing.
                if (earlier.status == "succeeded" && CompleteEarlierRuns(db, sql, tx, source, result, skippedRun, ModifiedAt(hashed)) > 0)
                    db.Execute(sql.Get("load/mark_days_of_rejects_loaded"), new { run_id = skippedRun }, tx, commandTimeout: 0);
                tx.Commit();
                // The row it added is its run: --json gave run_id null for it, as for a file passed over unread, though
                // 'llmlog runs --all' lists it (found by probing ingest).
                result.RunId = skippedRun;
            }
            result.Status = FileStatus.Skipped;
            var same = unchanged is null ? "same SHA-256" : "unchanged since: same size and modification time";
            var loadedBy = $"already loaded by run {earlierRun} ({same})";
            result.Message = loadedBy + "; --force re-reads it";
            result.LoadedBefore = new EarlierVerdict(earlierRun, earlier.records_read, earlier.records_rejected, same);
            if (earlier.status == "failed" && earlier.completed_by_run is { } readWhole)
            {
                result.Message = $"run {earlierRun} failed on these bytes ({same}), which end cut short, and run {readWhole} read the whole file since; --force reads them again";
            }
            else if (earlier.status == "failed")
            {
                // Not completed, so resolved by hand (load/find_loaded_file.sql): the person said these bytes need no loading.
                result.Message = $"run {earlierRun} failed on these bytes ({same}) and was resolved by hand: {earlier.resolved_note}; --force reads them again";
                result.ResolvedRun = earlierRun;
            }
            else if (earlier.status == "partial" && earlier.completed_by_run is { } whole)
            {
                // A copy of bytes a run found cut short, whose file a later run read whole: nothing of it is missing, and
                // exit 3 on every run for a backup taken at the wrong moment fixed nothing (found by probing a schedule).
                result.Message = $"{loadedBy}; these bytes end cut short, and run {whole} read the whole file since";
            }
            else if (earlier.status == "partial" && earlier.resolved_at is not null)
            {
                // Resolved by hand: the person said where the rest came from, and a rerun that still exited 3 for these
                // bytes made the resolution mean nothing to a schedule.
                result.Message = $"{loadedBy}; these bytes end cut short, and run {earlierRun} was resolved by hand: {earlier.resolved_note}";
                result.ResolvedRun = earlierRun;
            }
            else if (earlier.status == "partial")
            {
                // Skipping it quietly would let a rerun hide that the file is still cut short.
                result.StillIncomplete = true;
                result.Message = $"{loadedBy}, which found it cut short ({earlier.message}); the file is still incomplete: the run that reads the whole file "
                    + $"from {earlier.file_path} completes run {earlierRun}, and a new export loads as a new file; when the rest came in another way, "
                    + $"'llmlog runs resolve {earlierRun} --note \"...\"' says so";
            }
            result.Seconds = clock.Elapsed.TotalSeconds;
            return result;
        }

        using (var tx = db.BeginTransaction())
        {
            var runId = db.ExecuteScalar<long>(sql.Get("load/start_run"), new
            {
                file_path = result.Path,
                file_size = result.SizeBytes,
                file_sha256 = result.Sha256,
                input_format = (string?)null,
                started_at = startedAt,
                forced = force,
                tool_version = ToolInfo.Version,
                file_modified_at = ModifiedAt(hashed),
            }, tx);
            result.RunId = runId;
            var phase = Stopwatch.StartNew();
            // Filled only by a straight-in copy, whose rows all landed; the staged path counts what it kept.
            var landed = new WrittenTally();
            var rejectsWithCallId = 0L;
            // Warnings about rejected records that may yet turn out to be duplicates of a loaded call, logged once settled.
            var held = new List<HeldWarning>();
            var straightIn = CanCopyStraightIn(once, force) && TryCopyStraightIn(source, result, runId, tx, landed, held, out rejectsWithCallId);
            if (!straightIn)
            {
                phase.Restart();
                db.Execute(sql.Get("load/create_stage"), transaction: tx);
                rejectsWithCallId = LoadAll(source, result, readOnce, CreateStageWriter(warehouse, straightIn: false), runId, heldWarnings: held);
                Log.Debug("{File}: read, validated and staged {Records:N0} records in {Seconds:0.000} s", result.Path, result.Read, phase.Elapsed.TotalSeconds);
                phase.Restart();
                db.Execute(sql.Get("load/settle_calls"), new { run_id = runId }, tx, commandTimeout: 0);
                db.Execute(sql.Get("load/settle_rejects"), new { run_id = runId }, tx, commandTimeout: 0);
                DifferingCopies.Read(db, sql, tx, result);
                Log.Debug("{File}: inserted new calls and rejects in {Seconds:0.000} s", result.Path, phase.Elapsed.TotalSeconds);
            }
            else
            {
                Log.Debug("{File}: read, validated and copied {Records:N0} records straight into calls in {Seconds:0.000} s", result.Path, result.Read, phase.Elapsed.TotalSeconds);
            }
            RefuseIfChangedSinceHashed(result, hashed);
            // A record is judged once: a reject that another run holds as a call (loaded by an older llmlog whose
            // rules let it through) is a duplicate of that call, not a second verdict counted beside it.
            var rejectsOfLoadedCalls = 0;
            if (rejectsWithCallId > 0)
            {
                phase.Restart();
                rejectsOfLoadedCalls = db.Query<long>(sql.Get("load/drop_rejects_of_loaded_calls"), new { run_id = runId }, tx, commandTimeout: 0).Count();
                result.DuplicatesInvalid = rejectsOfLoadedCalls;
                Log.Debug("{File}: checked {Rejects} rejects against the calls loaded before ({Dropped} were) in {Seconds:0.000} s", result.Path, rejectsWithCallId, rejectsOfLoadedCalls, phase.Elapsed.TotalSeconds);
            }
            // "It is kept in the rejects table" is said only of what was: a bad copy of a loaded call, or a bad record an
            // earlier run kept (a forced re-read logged each as kept, and counted it as a duplicate), is a duplicate.
            var kept = held.Count == 0 ? [] : db.Query<long>(sql.Get("load/kept_rejects_among_first"),
                new { run_id = runId, last_record = held.Max(h => h.Record) }, tx).ToHashSet();
            // The named ones only when this run keeps them; the line that counts the rejects not named comes once the run's
            // count is known.
            foreach (var warning in held.Where(h => h.Record != SummaryLine && kept.Contains(h.Record))) Log.Warning(warning.Template, warning.Values);
            var named = kept.Count + NameKeptRejectsPastTheHeld(db, sql, tx, result, runId, held, kept.Count);
            // A record rejected before and read now corrected (same id) is loaded: its reject stays, marked with this
            // run, and no longer counts as a rejected record.
            phase.Restart();
            var rejectRowsNowLoaded = db.Execute(sql.Get("load/mark_rejects_loaded"), new { run_id = runId }, tx, commandTimeout: 0);
            result.RejectsNowLoaded = rejectRowsNowLoaded == 0 ? 0 : db.ExecuteScalar<long>(sql.Get("load/calls_rejected_before"), new { run_id = runId }, tx, commandTimeout: 0);
            var cutRejectsNowRead = CompleteEarlierRuns(db, sql, tx, source, result, runId, ModifiedAt(hashed));
            if (result.RejectsNowLoaded + cutRejectsNowRead > 0)
            {
                db.Execute(sql.Get("load/mark_days_of_rejects_loaded"), new { run_id = runId }, tx, commandTimeout: 0);
                db.Execute(sql.Get("load/date_rejects_loaded"), new { run_id = runId }, tx, commandTimeout: 0);
            }
            Log.Debug("{File}: marked {Rejects} rejects whose records this run loaded in {Seconds:0.000} s", result.Path, result.RejectsNowLoaded, phase.Elapsed.TotalSeconds);
            phase.Restart();
            if (straightIn)
            {
                // The days are known without reading 1M rows back (the heap re-read took ~0.7 s per 1M calls).
                var days = landed.RejectWithoutDay ? landed.Days.Append(DateOnly.FromDateTime(startedAt)).Distinct() : landed.Days;
                db.Execute(sql.Get("load/mark_day_dirty"), days.Order().Select(d => new { day = DbValues.Midnight(d) }), tx);
            }
            else
            {
                db.Execute(sql.Get("load/mark_dirty_days"), new { run_id = runId }, tx, commandTimeout: 0);
            }
            db.Execute(sql.Get("load/finish_run"), new
            {
                run_id = runId,
                file_sha256 = result.Sha256,
                file_size = result.SizeBytes,
                input_format = result.Format,
                finished_at = Clock.UtcNowUnspecified(),
                records_read = result.Read,
                records_rejected = straightIn ? result.Invalid - rejectsOfLoadedCalls : (long?)null,
                records_loaded = straightIn ? landed.Calls : (long?)null,
                records_flagged = straightIn ? landed.Flagged : (long?)null,
                status = result.Status == FileStatus.Partial ? "partial" : "succeeded",
                message = result.Message,
            }, tx);
            var counts = db.QuerySingle<RunCounts>(sql.Get("load/run_counts"), new { run_id = runId }, tx);
            // Of the rejects this run keeps, those not named above, and not the cut-off rest its message names: the count
            // of every record that failed said "116 more rejected records not listed here" of a forced re-read that kept
            // none and named none (found by probing re-runs).
            if (held.FirstOrDefault(h => h.Record == SummaryLine) is { } summary
                && counts.records_rejected - named - (result.Status == FileStatus.Partial ? 1 : 0) is var unnamed and > 0)
            {
                Log.Warning(summary.Template, [summary.Values[0], unnamed]);
            }
            db.Execute(sql.Get("load/drop_stage"), transaction: tx);
            tx.Commit();
            Log.Debug("{File}: counted and committed in {Seconds:0.000} s", result.Path, phase.Elapsed.TotalSeconds);
            result.Loaded = counts.records_loaded;
            result.Duplicates = counts.records_duplicate;
            result.Rejected = counts.records_rejected;
            result.Flagged = counts.records_flagged;
        }
        if (result.Status != FileStatus.Partial) result.Status = FileStatus.Succeeded;
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>
    /// A file rewritten after it was hashed was read as other bytes than its SHA-256 names: its run was recorded under the
    /// hash of bytes it never read, so that a rewrite that cut the read short was skipped as "still incomplete" until
    /// --force (found by probing ingest). The read stops at the hashed length and fails when the file ends before it
    /// (<see cref="HashedPrefix"/>); here, when the file's size or modification time moved since it was hashed, its first
    /// bytes are hashed again: the same hash is a file appended to (its new bytes are the next run's), another is a file
    /// changed in place, which fails before its transaction commits, so that the next run reads it whole.
    /// </summary>
    private void RefuseIfChangedSinceHashed(FileResult result, FileStamp? hashed)
    {
        if (hashed is not { } before || _file is not { } file || file.StampNow() == before || result.SizeBytes is not { } size) return;
        if (file.Sha256OfFirst(size) == result.Sha256) return;
        throw new LlmLogException(ExitCode.InputError,
            "the file changed while it was read: its first bytes are no longer the bytes it was hashed as; a writer rewrote it, or it was replaced. "
            + "Run again once it is complete");
    }

    // PostgreSQL's primary keys refuse a duplicate record, so a file can be copied straight into calls and
    // rejects — one write instead of staging, then inserting — and fall back to staging only when a key
    // refuses it. That needs a file to read a second time (not standard input or a pipe), and is not worth
    // trying on --force, whose point is re-reading records mostly loaded already. DuckDB has no such key on
    // calls (see sql/migrations/V010__keys_and_indexes.duckdb.sql): its writer appends every record to calls and rejects
    // and the settle step deletes the duplicates after (sql/load/settle_*.duckdb.sql).
    private bool CanCopyStraightIn(bool readOnce, bool force) =>
        warehouse!.Connection is NpgsqlConnection && !readOnce && !force;

    /// <summary>
    /// Copies the file straight into calls and rejects under a savepoint; when a record is already loaded
    /// (or twice in the file) the key refuses the copy, everything since the savepoint is undone and
    /// false is returned, with <paramref name="result"/>'s counts reset for the staged read that follows.
    /// </summary>
    private bool TryCopyStraightIn(InputSource source, FileResult result, long runId, System.Data.Common.DbTransaction tx, WrittenTally landed, List<HeldWarning> held, out long rejectsWithCallId)
    {
        const string Savepoint = "copy_straight_in";
        tx.Save(Savepoint);
        rejectsWithCallId = 0;
        // Every warning is held, to be logged once the copy stands; when it is undone, the staged read that follows says them.
        try
        {
            rejectsWithCallId = LoadAll(source, result, readOnce: null, CreateStageWriter(warehouse!, straightIn: true), runId, landed, held);
            tx.Release(Savepoint);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            tx.Rollback(Savepoint);
            landed.Clear();
            held.Clear();
            Log.Debug("{File}: holds records already loaded or repeated ({Constraint}); loading it again through the staging table that skips them", result.Path, e.ConstraintName);
            result.Read = 0;
            result.Invalid = 0;
            result.Status = default;
            result.Message = null;
            return false;
        }
    }

    /// <summary>
    /// A file read while it was still being written (cut short, or empty) and read whole now: earlier runs of this path
    /// whose bytes are this file's first bytes are marked completed by this run, and the reject at each one's cut
    /// (the end of its input, not a bad record) no longer counts (<c>load/mark_run_completed.sql</c>). A cron job that
    /// caught an export mid-write left a "records are missing" finding for ever (found by probing ingest). Returns
    /// how many such rejects were marked.
    /// </summary>
    private int CompleteEarlierRuns(System.Data.Common.DbConnection db, SqlCatalog sql, System.Data.Common.DbTransaction tx, InputSource source, FileResult result, long runId,
        DateTime? modifiedAt)
    {
        if (result.Status == FileStatus.Partial || source.IsStandardInput || _file is not { } file || result.Sha256 is null || result.SizeBytes is not { } size) return 0;
        var marked = 0;
        void Complete(long earlierRun)
        {
            db.Execute(sql.Get("load/mark_run_completed"), new { run_id = runId, earlier_run_id = earlierRun }, tx);
            marked += db.Execute(sql.Get("load/mark_cut_reject_read"), new { run_id = runId, earlier_run_id = earlierRun }, tx);
            result.CompletedRuns.Add(earlierRun);
        }
        var unopened = new List<long>();
        foreach (var earlier in db.Query<EarlierRead>(sql.Get("load/find_runs_completed_by_file"), new { file_path = result.Path, file_size = size, file_modified_at = modifiedAt }, tx))
        {
            // A run that could not open the file has no hash; the query matched its size and modification time instead.
            if (earlier.file_sha256 is null) unopened.Add(earlier.run_id);
            else if (file.Sha256OfFirst(earlier.file_size) != earlier.file_sha256) continue;
            Complete(earlier.run_id);
        }
        // A log rotated by a rename after a run caught it mid-line: the run of its old name, in the same folder, whose
        // bytes this file starts with. Another folder's file with those bytes is a copy, not the log. logrotate's
        // compress (Debian's default) gzips the renamed log (app.jsonl.1.gz, app.jsonl-20261207.gz): then the bytes it
        // decompresses to are the ones to compare, and they may be more than the file's own size (such a log's cut run
        // stayed listed for ever before). Only a name that starts with the log's is decompressed for it, so that a
        // folder of other gzipped exports does not each decompress the cut run's bytes.
        var folder = Path.GetDirectoryName(result.Path);
        var gzip = file.IsGzip;
        var renamed = new List<(long Run, string Path, bool Compressed)>();
        foreach (var earlier in db.Query<EarlierReadElsewhere>(sql.Get("load/find_runs_completed_elsewhere"), new { file_path = result.Path, file_size = gzip ? long.MaxValue : size }, tx))
        {
            if (Path.GetDirectoryName(earlier.file_path) != folder) continue;
            var compressed = false;
            if (file.Sha256OfFirst(earlier.file_size) != earlier.file_sha256)
            {
                compressed = gzip && InputFiles.MayBeRotatedFrom(Path.GetFileName(result.Path), Path.GetFileName(earlier.file_path))
                    && file.Sha256OfFirstDecompressed(size, earlier.file_size) == earlier.file_sha256;
                if (!compressed) continue;
            }
            Complete(earlier.run_id);
            renamed.Add((earlier.run_id, earlier.file_path, compressed));
        }
        // Copies of the bytes of a run completed now, read elsewhere or again: the whole file completes them as well.
        var copies = new List<long>();
        foreach (var completed in result.CompletedRuns.Except(unopened).ToList())
        {
            foreach (var copy in db.Query<long>(sql.Get("load/find_copies_of_cut_run"), new { earlier_run_id = completed }, tx))
            {
                if (result.CompletedRuns.Contains(copy)) continue;
                Complete(copy);
                copies.Add(copy);
            }
        }
        static string Runs(IReadOnlyCollection<long> runs) => (runs.Count == 1 ? "run " : "runs ") + string.Join(", ", runs);
        if (copies.Count > 0)
        {
            Log.Information("{File}: read whole now; {Runs} read a copy of the same cut bytes elsewhere or again, and {Which} no longer counts as incomplete",
                result.Path, Runs(copies), copies.Count == 1 ? "it" : "each");
        }
        foreach (var (run, path, compressed) in renamed)
        {
            Log.Information("{File}: read whole now; run {Run} read it as {Earlier} while it was still being written ({How} since), and the record cut off there no longer counts as rejected",
                result.Path, run, path, compressed ? "renamed and compressed" : "renamed");
        }
        var cut = result.CompletedRuns.Except(unopened).Except(renamed.Select(r => r.Run)).Except(copies).ToList();
        if (cut.Count > 0)
        {
            Log.Information("{File}: read whole now; {Runs} read it while it was still being written, and the record cut off there no longer counts as rejected",
                result.Path, Runs(cut));
        }
        if (unopened.Count > 0)
        {
            Log.Information("{File}: read whole now; {Runs} could not open it, and it is unchanged since (same size and modification time): {Which} no longer counts as failed",
                result.Path, Runs(unopened), unopened.Count == 1 ? "that run" : "each");
        }
        return marked;
    }

    /// <summary>
    /// The stamp of a regular file whose path, size and modification time are those of a run that loaded it whole (or
    /// skipped it as loaded): its bytes are taken to be the same, and it is not read again. A scheduled ingest of a
    /// landing folder that keeps its files read every one of them each run to hash it (4.4 s a run over a month of
    /// hourly files, growing with every file; found by probing a schedule). A file rewritten with its size and
    /// modification time put back is the one this passes over; --force reads it. Null when the file must be read.
    /// </summary>
    private FileStamp? UnchangedSinceLoaded(InputSource source, FileResult result)
    {
        // A pipe, FIFO or device has no size (stat's st_size is 0), so it is never taken for a loaded file.
        if (warehouse is null || source.IsStandardInput || FileStamp.Of(source.Path) is not { Length: > 0 } stamp) return null;
        var sha256 = warehouse.Connection.QueryFirstOrDefault<string>(warehouse.Sql.Get("load/find_unchanged_file"),
            new { file_path = result.Path, file_size = stamp.Length, file_modified_at = ModifiedAt(stamp) });
        if (sha256 is null) return null;
        result.SizeBytes = stamp.Length;
        result.Sha256 = sha256;
        return stamp;
    }

    /// <summary>A file's modification time as the runs table keeps it: UTC, to the microsecond, no kind attached.</summary>
    private static DateTime? ModifiedAt(FileStamp? stamp) =>
        stamp is { } s ? DateTime.SpecifyKind(Clock.TruncateToMicroseconds(s.Modified), DateTimeKind.Unspecified) : null;

    /// <summary>Records an input that could not be read at all, so the runs table tells the whole story.</summary>
    public void RecordFailure(FileResult result)
    {
        // Recorded with the bytes it was hashed over, so that a later run of the whole file completes it, as it completes a
        // run cut short: a gzip or an empty file caught while still being written failed without them, and the report
        // said for ever that its records were missing (found by probing a landing folder).
        // The size and the hash go together: the size of the file found at the path after the failure beside the hash of
        // the file read (a rotation between the two) could never be completed.
        DateTime? modifiedAt = null;
        if (_identified is var (path, size, sha256, modified) && path == result.Path && sha256 is not null)
        {
            result.SizeBytes = size;
            result.Sha256 = sha256;
            modifiedAt = modified;
        }
        if (warehouse is null) return;
        var db = warehouse.Connection;
        using var tx = db.BeginTransaction();
        var runId = db.ExecuteScalar<long>(warehouse.Sql.Get("load/start_run"), new
        {
            file_path = result.Path,
            file_size = result.SizeBytes,
            file_sha256 = result.Sha256,
            input_format = result.Format,
            started_at = Clock.UtcNowUnspecified(),
            forced = false,
            tool_version = ToolInfo.Version,
            // A file read at all is known by its hash; one that could not be opened, by its size and modification time.
            // The first keeps its modification time too: a rerun skips the bytes of a failed run resolved by hand only
            // while the file is the one resolved (load/find_loaded_file.sql).
            file_modified_at = result.Sha256 is null ? result.UnreadModifiedAt : modifiedAt,
        }, tx);
        db.Execute(warehouse.Sql.Get("load/finish_run"), new
        {
            run_id = runId,
            file_sha256 = result.Sha256,
            file_size = result.SizeBytes,
            input_format = result.Format,
            finished_at = Clock.UtcNowUnspecified(),
            records_read = 0L,
            records_rejected = 0L,
            records_loaded = 0L,
            records_flagged = 0L,
            status = "failed",
            message = result.Message,
        }, tx);
        tx.Commit();
        result.RunId = runId;
    }

    /// <summary>
    /// When the held warnings named fewer than <see cref="MaxLoggedRejects"/> rejects this run keeps (the others were kept
    /// by an earlier run, or bad copies of loaded calls) and more records failed than were held, names the run's next kept
    /// rejects from the rejects table: an appended file read again spent the listing on records kept before.
    /// </summary>
    /// <returns>How many it named.</returns>
    private static int NameKeptRejectsPastTheHeld(System.Data.Common.DbConnection db, SqlCatalog sql, System.Data.Common.DbTransaction tx, FileResult result, long runId, List<HeldWarning> held, int namedAlready)
    {
        if (namedAlready >= MaxLoggedRejects || held.All(h => h.Record != SummaryLine)) return 0;
        var rows = db.Query<(long Record, long? Line, long? Offset, string Reason)>(sql.Get("load/kept_rejects_after"), new
        {
            run_id = runId,
            after_record = held.Where(h => h.Record != SummaryLine).Max(h => h.Record),
            before_record = result.Status == FileStatus.Partial ? result.Read : long.MaxValue,
            count = (long)(MaxLoggedRejects - namedAlready),
        }, tx).ToList();
        foreach (var r in rows) Log.Warning(KeptRejectTemplate, result.Path, r.Record, r.Line, r.Offset, r.Reason);
        return rows.Count;
    }

    private const string KeptRejectTemplate =
        "{File}: record {Record} (line {Line}, byte {Offset}) rejected: {Reason}; it is kept in the rejects table, fix it at the source and ingest the corrected file";

    // heldWarnings: where the warnings about rejected records go instead of the log, until the run knows which are
    // duplicates of a loaded call ("it is kept in the rejects table" was said of them, found by probing) and whether a
    // straight-in copy is undone and read again (which logged every reject twice, found by probing the CLI). All of
    // them are held, not only those a settle can drop, so the log names the records in their order.
    /// <returns>How many rejects carry the id they would have as a call (<see cref="ValidationResult.CallId"/>).</returns>
    private long ReadAll(InputSource source, FileResult result, Stream? readOnce, IStageWriter? sink, long runId, WrittenTally? tally = null,
        List<HeldWarning>? heldWarnings = null)
    {
        void Warn(long record, string template, params object?[] values)
        {
            if (heldWarnings is not null) heldWarnings.Add(new HeldWarning(record, template, values));
            else Log.Warning(template, values);
        }

        var rejectsWithCallId = 0L;
        // A file is read no further than the bytes its SHA-256 names: a writer still appending leaves the rest to the next run.
        using var prefix = readOnce is null && _file is { } file && result.SizeBytes is { } size ? file.ReadPrefix(size) : null;
        using var stream = InputFiles.Open(source, readOnce ?? prefix);
        using var reader = new LogRecordReader(stream, source.IsStandardInput ? null : source.Path);
        result.Format = reader.Format switch
        {
            InputFormat.Export => "export",
            InputFormat.Array => "array",
            InputFormat.Concatenated => "concatenated",
            _ => "jsonl",
        };
        var row = new CallRow();
        var clock = Stopwatch.StartNew();
        var nextReport = ProgressEvery;
        foreach (var raw in reader.Records())
        {
            result.Read++;
            var bytes = raw.Utf8.Span;
            var outcome = raw.SyntaxError is { } syntax
                ? new ValidationResult(new Rejection(null, syntax), null)
                : _validator.Validate(bytes, row);
            if (outcome.Rejection is { } why)
            {
                // Counted here as invalid; how many of them the run kept in rejects is counted from the table.
                result.Invalid++;
                if (outcome.CallId is not null) rejectsWithCallId++;
                tally?.AddReject(outcome.CreatedDay);
                sink?.WriteReject(new RejectRow(
                    raw.EndsInput ? RejectIdOfCutOffRest(result, runId, bytes) : RejectRow.IdOf(outcome, bytes),
                    runId,
                    result.Path,
                    raw.Number,
                    raw.Line,
                    raw.ByteOffset,
                    why.Field,
                    why.Field is null ? why.Reason : $"{why.Field} {why.Reason}",
                    TextOf(bytes),
                    outcome.CallId,
                    outcome.Created));
                if (raw.EndsInput)
                {
                    result.Status = FileStatus.Partial;
                    result.Message = why.Reason.StartsWith("record ", StringComparison.Ordinal) ? why.Reason : $"record {raw.Number}: {why.Reason}";
                }
                else if (result.Invalid <= MaxLoggedRejects)
                {
                    // A scheduler's log is often all anyone reads: each bad record says where it is and what is wrong.
                    // A dry run keeps nothing, and said each record "is kept in the rejects table" (found by probing the docs).
                    Warn(raw.Number, sink is null
                            ? "{File}: record {Record} (line {Line}, byte {Offset}) rejected: {Reason}; an ingest would keep it in the rejects table, fix it at the source"
                            : KeptRejectTemplate,
                        result.Path, raw.Number, raw.Line, raw.ByteOffset, why.Field is null ? why.Reason : $"{why.Field} {why.Reason}");
                }
            }
            else
            {
                row.RecordNumber = raw.Number;
                row.LineNumber = raw.Line;
                row.Raw = Encoding.UTF8.GetString(bytes);
                tally?.AddCall(row.Day, row.Flags != CallFlags.None);
                sink?.WriteCall(row, runId, result.Path);
            }
            if (progress is not null && clock.Elapsed >= nextReport)
            {
                nextReport = clock.Elapsed + ProgressEvery;
                progress(new IngestProgress(result.Path, result.Read, reader.BytesRead, null, clock.Elapsed));
            }
        }
        prefix?.ReadToHashedEnd();
        var unnamed = result.Invalid - MaxLoggedRejects - (result.Status == FileStatus.Partial ? 1 : 0);
        if (unnamed > 0)
        {
            // Held like the warnings before it, so that it follows them (under a record number no reject has).
            Warn(SummaryLine, sink is null
                    ? "{File}: {Count} more records failed validation, not listed here; an ingest would keep every one in the rejects table with its record number, field and reason"
                    : "{File}: {Count} more rejected records not listed here; every one is in the rejects table with its record number, field and reason",
                result.Path, unnamed);
        }
        return rejectsWithCallId;
    }

    // The unreadable rest of a cut-off input is a fact about that input, not a record: often no bytes at all
    // (an array never closed), which would make every cut-off file's row the same reject. Its id therefore
    // hashes the input's identity too, so a re-read of the same file finds it again and another file keeps its own.
    // A stream read once has no SHA-256, and its name ("<stdin>") is every stream's: its run stands for it, or the
    // second cut-off pipe's reject was settled away as a duplicate of the first's (found by reviewing the loader).
    private static string RejectIdOfCutOffRest(FileResult result, long runId, ReadOnlySpan<byte> rest)
    {
        var input = Encoding.UTF8.GetBytes((result.Sha256 ?? $"{result.Path} run {runId.ToString(System.Globalization.CultureInfo.InvariantCulture)}") + "\n");
        var bytes = new byte[input.Length + rest.Length];
        input.CopyTo(bytes, 0);
        rest.CopyTo(bytes.AsSpan(input.Length));
        return RecordId.OfBytes(bytes);
    }

    // PostgreSQL text cannot hold NUL; a reject keeps everything else of what it was given.
    private static string TextOf(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;
    }

    private long LoadAll(InputSource source, FileResult result, Stream? readOnce, IStageWriter sink, long runId, WrittenTally? tally = null,
        List<HeldWarning>? heldWarnings = null)
    {
        using (sink)
        {
            var rejectsWithCallId = ReadAll(source, result, readOnce, sink, runId, tally, heldWarnings);
            sink.Complete();
            return rejectsWithCallId;
        }
    }

    // straightIn: PostgreSQL copies into calls and rejects themselves rather than into the staging tables.
    private static IStageWriter CreateStageWriter(WarehouseConnection warehouse, bool straightIn) => new PipelinedStageWriter(warehouse.Connection switch
    {
        NpgsqlConnection pg => new PostgresStageWriter(pg,
            warehouse.Sql.Get(straightIn ? "load/copy_calls" : "load/copy_stage_calls"),
            warehouse.Sql.Get(straightIn ? "load/copy_rejects" : "load/copy_stage_rejects")),
        DuckDBConnection duck => new DuckDbStageWriter(duck),
        _ => throw new NotSupportedException(warehouse.Connection.GetType().Name),
    });

    // Dapper maps by column name; the snake_case names match the SQL.
#pragma warning disable IDE1006, CA1812
    private sealed record LoadedBefore(
        long run_id, string file_path, string status, string? message, long records_read, long records_rejected, long? completed_by_run, DateTime? resolved_at, string? resolved_note);

    private sealed record EarlierRead(long run_id, long file_size, string? file_sha256);

    private sealed record EarlierReadElsewhere(long run_id, string file_path, long file_size, string file_sha256);

    private sealed record RunCounts(long records_read, long records_loaded, long records_duplicate, long records_rejected, long records_flagged);
#pragma warning restore IDE1006, CA1812

    /// <summary>A warning about a rejected record, held until the run knows whether the record is a rejected one.</summary>
    private sealed record HeldWarning(long Record, string Template, object?[] Values);
}
