using System.Diagnostics;
using LlmLog.Reading;
using LlmLog.Transform;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Loading;

/// <summary>How an ingest should behave.</summary>
public sealed record IngestOptions
{
    /// <summary>Re-read files whose bytes were loaded before (their records are still deduplicated).</summary>
    public bool Force { get; init; }

    /// <summary>Validate and count only; the database is not opened.</summary>
    public bool DryRun { get; init; }

    /// <summary>Highest share of rejected records (0–1) that still counts as success.</summary>
    public double? MaxRejectRate { get; init; }

    /// <summary>How long to wait for another llmlog run to release the database.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The ingest pipeline: expand the inputs, take the writer lock, load each input in its own
/// transaction, then refresh the marts of the days that changed.
/// </summary>
public static class IngestRunner
{
    /// <summary>Expands <paramref name="paths"/> (files, folders, <c>-</c>) and loads every input they name.</summary>
    public static IngestSummary Run(
        DatabaseTarget target,
        IReadOnlyList<string> paths,
        IngestOptions options,
        Action<IngestProgress>? progress = null,
        Stream? standardInput = null,
        string? sqlRoot = null,
        Action<RefreshProgress>? refreshProgress = null)
        => Run(target, InputFiles.Expand(paths), options, progress, standardInput, sqlRoot, refreshProgress);

    /// <summary>Loads inputs already listed by <see cref="InputFiles.Expand"/>; any of them may have gone since.</summary>
    public static IngestSummary Run(
        DatabaseTarget target,
        IReadOnlyList<InputSource> sources,
        IngestOptions options,
        Action<IngestProgress>? progress = null,
        Stream? standardInput = null,
        string? sqlRoot = null,
        Action<RefreshProgress>? refreshProgress = null)
    {
        var clock = Stopwatch.StartNew();
        var summary = new IngestSummary { Database = target.Display, DryRun = options.DryRun };
        if (sources.Count == 0)
        {
            summary.ExitCode = ExitCode.InputError;
            summary.Message = $"no log files found (looked for {InputFiles.LogFilesLookedFor})";
            return summary;
        }

        // The first file is hashed while the warehouse opens: for a file loaded before, that is most of the run.
        using var ahead = options.DryRun ? null : IdentityReadAhead.Start(sources[0]);
        using var warehouse = options.DryRun ? null : WarehouseConnection.Open(target, options.LockTimeout, sqlRoot);
        warehouse?.AcquireWriterLock(options.LockTimeout);
        var ingester = new FileIngester(warehouse, progress) { IdentityAhead = ahead };
        foreach (var source in sources)
        {
            FileResult result;
            try
            {
                var recordFailure = false;
                try
                {
                    result = ingester.Ingest(source, options.Force, options.DryRun, standardInput);
                }
                catch (Exception e) when (e is InputFormatException or LlmLogException { Code: ExitCode.InputError })
                {
                    result = UnreadFile(source, e);
                    // Standard input (or a pipe) that sent nothing to load is no run to complete or resolve: nothing can be
                    // missing, and it cannot be read again, so each empty pipe of a schedule ('echo "$OUT" | llmlog ingest -')
                    // stayed an open run until resolved by hand (found by probing the docs, and the blank line by review). It
                    // still fails the run, exit 3: the command feeding it sent nothing.
                    recordFailure = !(e is InputFormatException { NothingToLoad: true } && (source.IsStandardInput || FileKind.IsPipeOrDevice(source.Path)));
                }
                // Recorded outside the handler of the read error: a database error while recording the failed run escaped
                // the handlers below, without the file's name or what to do (found by review).
                if (recordFailure) ingester.RecordFailure(result);
            }
            catch (Exception e) when (DatabaseFailures.IsNoWriteAccess(e))
            {
                // Rerunning will not help: the user or role needs the privilege first.
                var need = e switch
                {
                    Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ReadOnlySqlTransaction } =>
                        "the server is a read-only standby (or the session is read-only); ingest into the primary",
                    // A DuckDB file it may write in a folder it may not: the commit cannot create the .wal beside it. It was
                    // told about a PostgreSQL role (found by probing DuckDB).
                    DuckDB.NET.Data.DuckDBException => $"llmlog ingest needs write access to {warehouse!.Target.Display} and to its folder, where DuckDB writes its .wal beside the file",
                    _ => "llmlog ingest needs a PostgreSQL role that may read and write the warehouse's tables (its owner, or one granted SELECT, INSERT, UPDATE and DELETE on every one of them)",
                };
                throw new LlmLogException(ExitCode.ReadOnly, $"{source.DisplayName}: not loaded, nothing of it was kept: {DatabaseFailures.Explain(e)}; {need}", e);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or DuckDB.NET.Data.DuckDBException)
            {
                // The file's transaction is gone with the connection; say which file, and that rerunning is safe. A full disk
                // or memory limit is not a moment that passes: it says what to change before.
                var again = DatabaseFailures.IsOutOfMemory(e) || DatabaseFailures.IsDiskFull(e) || DatabaseFailures.IsStatementTimeout(e) || DatabaseFailures.IsTempFileLimit(e)
                    || DatabaseFailures.IsLockTimeout(e)
                    ? ", then run the same command again" : ". Run the same command again once the database is back";
                throw new LlmLogException(ExitCode.DatabaseError,
                    $"{source.DisplayName}: not loaded, nothing of it was kept: {DatabaseFailures.Explain(e)}{again}; files already loaded are skipped", e);
            }
            summary.Files.Add(result);
            NoteRejectRateOfEarlierRun(result, options.MaxRejectRate);
            LogResult(result, options.DryRun);
        }

        Exception? refreshFailure = null;
        if (warehouse is not null)
        {
            try
            {
                summary.DaysRefreshed = MartRefresher.RefreshDirtyDays(warehouse, progress: refreshProgress);
                if (summary.DaysRefreshed > 0) Log.Information("Refreshed the marts for {Days} " + Counting.Noun(summary.DaysRefreshed, "day"), summary.DaysRefreshed);
            }
            catch (Exception e) when (e is LlmLogException or Npgsql.NpgsqlException or DuckDB.NET.Data.DuckDBException)
            {
                refreshFailure = e;
            }
        }

        summary.Seconds = clock.Elapsed.TotalSeconds;
        summary.ExitCode = ExitCodeFor(summary, options);
        if (refreshFailure is not null) MartsNotBuilt(summary, refreshFailure);
        return summary;
    }

    // The files' transactions are committed before the marts are built, and the days they touched stay marked until
    // theirs are. A database error while building them escaped the summary: --json printed nothing, and the message
    // did not say that the files were loaded, nor what builds the marts (found by probing a schedule).
    private static void MartsNotBuilt(IngestSummary summary, Exception e)
    {
        var code = e switch
        {
            LlmLogException known => known.Code,
            _ when DatabaseFailures.IsNoWriteAccess(e) => ExitCode.ReadOnly,
            _ => DatabaseFailures.CodeFor(e),
        };
        var why = e is LlmLogException ? e.Message : DatabaseFailures.Explain(e);
        var then = code == ExitCode.ReadOnly
            ? "run 'llmlog transform' as a role that may write the warehouse's tables (its owner's)"
            : "run 'llmlog transform' once the cause is fixed";
        // Said of the files this run loaded, or of the days earlier runs left awaiting the marts when it loaded none (found by re-probing).
        var what = summary.Files.Any(f => f.Status is FileStatus.Succeeded or FileStatus.Partial)
            ? "every file this run loaded is committed, but building the daily marts of the days they touched failed"
            : "this run loaded no file, and building the daily marts of the days earlier runs left awaiting them failed";
        var marts = $"{what}: {why}; those days stay marked, and the next ingest, 'llmlog transform' or a report builds them: {then}";
        // A failed file or a reject rate above the limit keeps its code and message: the file still needs replacing
        // whatever the database did after it (found by review).
        if (summary.ExitCode == ExitCode.Success) summary.ExitCode = code;
        summary.Message = summary.Message is null ? marts : $"{summary.Message}; {marts}";
    }

    /// <summary>The result of a file that could not be read: not a log llmlog reads, or no longer there.</summary>
    private static FileResult UnreadFile(InputSource source, Exception e)
    {
        var result = new FileResult
        {
            Path = source.IsStandardInput ? source.DisplayName : Path.GetFullPath(source.Path),
            Status = FileStatus.Failed,
            Message = e.Message,
        };
        // Exists and Length read one stat, so a file that vanishes meanwhile cannot throw here.
        if (!source.IsStandardInput && new FileInfo(source.Path) is { Exists: true } info)
        {
            result.SizeBytes = info.Length;
            result.UnreadModifiedAt = DateTime.SpecifyKind(Clock.TruncateToMicroseconds(info.LastWriteTimeUtc), DateTimeKind.Unspecified);
        }
        return result;
    }

    private static ExitCode ExitCodeFor(IngestSummary summary, IngestOptions options)
    {
        // The share of the records the run read, all its inputs together, that failed validation, whether or not an
        // identical bad record was kept before.
        // Said even when a failed file sets the exit code, so that the breach is not lost behind it.
        var rateExceeded = false;
        if (options.MaxRejectRate is { } max && summary.Read > 0)
        {
            var above = summary.Files.Where(f => f.Read > 0 && (double)f.Invalid / f.Read > max).ToList();
            if ((double)summary.Invalid / summary.Read > max)
            {
                summary.Message = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{summary.Invalid:N0} of {summary.Read:N0} records failed validation {AboveTheRate(summary.Invalid, summary.Read, max)}{FilesAbove(summary, above)}");
                rateExceeded = true;
            }
            else
            {
                NoteFilesAboveTheRate(summary, above, max);
            }
        }
        // A file skipped as loaded whose bytes were cut short is still incomplete: a scheduler's retry must not turn the
        // first run's exit 3 into a success while nothing was fixed.
        var failed = summary.Files.Where(f => f.Status is FileStatus.Failed or FileStatus.Partial || f.StillIncomplete).Select(f => f.Path).ToList();
        if (failed.Count > 0)
        {
            // The message leads with what the code says: a reject rate above the limit alone, exit 5's cause, was the whole
            // message of an exit 3 (found by probing the docs). The breach follows, so that it is not lost behind it.
            var notWhole = $"{Counting.Counted(failed.Count, "file")} not loaded whole ({string.Join(", ", failed.Take(3))}{(failed.Count > 3 ? ", …" : "")}; see above)";
            summary.Message = summary.Message is null ? notWhole : $"{notWhole}; besides, {summary.Message}";
            return ExitCode.InputError;
        }
        return rateExceeded ? ExitCode.RejectRateExceeded : ExitCode.Success;
    }

    // The rate is measured over all the records a run reads, so that one hour's three bad records of two hundred do not fail
    // a backfill of a month of hourly files. A run over many files that named none of them left a file mostly rejected
    // unseen behind a run that stayed below the rate, and one above it did not say which file to look at (found by
    // probing ingest).
    private static string FilesAbove(IngestSummary summary, List<FileResult> above)
    {
        if (summary.Files.Count(f => f.Read > 0) < 2 || above.Count == 0) return "";
        // The most failed records first: a two-record file with one bad record was named before a large file with sixty.
        var worst = above.OrderByDescending(f => f.Invalid).ThenByDescending(f => (double)f.Invalid / f.Read).ThenBy(f => f.Path, StringComparer.Ordinal).Take(3)
            .Select(f => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.Path} ({f.Invalid:N0} of {f.Read:N0})"));
        return $"; the most in {string.Join(", ", worst)}{(above.Count > 3 ? $" and {above.Count - 3:N0} more" : "")}";
    }

    private static void NoteFilesAboveTheRate(IngestSummary summary, List<FileResult> above, double max)
    {
        // A file cut short fails the run (exit 3) with its own message, which says more than this note would.
        foreach (var f in above.Where(f => f.Status is FileStatus.Succeeded or FileStatus.Validated))
        {
            var note = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{f.Invalid:N0} of {f.Read:N0} records failed validation {AboveTheRate(f.Invalid, f.Read, max)}; the run does not fail for it, because the rate is measured over all {summary.Read:N0} records the run read ({summary.Invalid:N0} failed)");
            f.Message ??= note;
            Log.Warning("{File}: {Note}", f.Path, note);
        }
    }

    // --max-reject-rate counts the records a run reads, and a rerun that skips a loaded file reads none of it: a folder's
    // rerun must not fail for ever over one old file. But a scheduler's retry of a run that exited 5 then exited 0 without
    // a word, so the skip says that the run which loaded the file rejected more of it than this rate allows. It says how the
    // file was known as loaded: "same SHA-256" stood for a file passed over unread by its size and modification time,
    // which the same skip without the option told apart (found by probing ingest).
    private static void NoteRejectRateOfEarlierRun(FileResult r, double? max)
    {
        // A file still cut short says so instead, and fails the run (exit 3) anyway; the bytes of a run resolved by hand
        // keep the note (their share of rejects is the cut record).
        if (max is not { } limit || r.StillIncomplete || r.ResolvedRun is not null || r.LoadedBefore is not { Read: > 0 } earlier || (double)earlier.Rejected / earlier.Read <= limit) return;
        r.RejectRateExceededBefore = true;
        r.Message = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"already loaded by run {earlier.RunId} ({earlier.KnownBy}), which rejected {earlier.Rejected:N0} of its {earlier.Read:N0} records {AboveTheRate(earlier.Rejected, earlier.Read, limit)}; the rate counts only the records a run reads, so this run does not fail for them: --force re-reads the file and measures it again");
    }

    /// <summary>
    /// "(10%), above --max-reject-rate 0.09999 (9.999%)": the limit as given and in percent, and the share to one more
    /// decimal than the limit has, so that it never reads as equal to or below it. With both rounded, 1 of 10 read
    /// "(10%), above --max-reject-rate 0.1" for a limit of 0.09999 (found by probing ingest).
    /// </summary>
    internal static string AboveTheRate(long failed, long read, double max)
    {
        var limit = ((decimal)max * 100).ToString("0.############", System.Globalization.CultureInfo.InvariantCulture);
        var decimals = Math.Max(2, (limit.Split('.') is [_, var fraction] ? fraction.Length : 0) + 1);
        var share = (100.0 * failed / read).ToString("0." + new string('#', decimals), System.Globalization.CultureInfo.InvariantCulture);
        return $"({share}%), above --max-reject-rate {max.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} ({limit}%)";
    }

    // Standard input is no file to fix or remove: what was sent is (found by probing the CLI).
    private static string Fix(FileResult r, string forAFile) =>
        r.Path == InputSource.StandardInputName ? "fix what is sent to standard input and send it again" : forAFile;

    private static void LogResult(FileResult r, bool dryRun)
    {
        switch (r.Status)
        {
            case FileStatus.Skipped when r.StillIncomplete || r.RejectRateExceededBefore:
                Log.Warning("{File}: skipped, {Message}", r.Path, r.Message);
                break;
            case FileStatus.Skipped:
                Log.Information("{File}: skipped, {Message}", r.Path, r.Message);
                break;
            case FileStatus.Failed:
                Log.Error("{File}: not loaded: {Message}; nothing of it was loaded, {Then}", r.Path, r.Message,
                    Fix(r, "fix or remove the file and run again"));
                break;
            // A dry run loads and keeps nothing: its counts are what it validated. "Loaded 0, rejected 0 (incl. the unreadable
            // rest)" stood beside a totals line of "invalid 1" (found by probing ingest).
            case FileStatus.Partial when dryRun:
                Log.Error("{File}: {Message}. Read {Read:N0}, valid {Valid:N0}, invalid {Invalid:N0} (incl. the unreadable rest); nothing written (--dry-run); {Then}",
                    r.Path, r.Message, r.Read, r.Valid, r.Invalid,
                    Fix(r, "fix the file and run again"));
                break;
            case FileStatus.Partial:
                Log.Error("{File}: {Message}. Loaded {Loaded:N0}, duplicates {Duplicates:N0}, rejected {Rejected:N0} (incl. the unreadable rest); {Then}",
                    r.Path, r.Message, r.Loaded, r.Duplicates, r.Rejected,
                    Fix(r, "fix the file and run again"));
                break;
            case FileStatus.Validated:
                Log.Information("{File}: read {Read:N0}, valid {Valid:N0}, invalid {Invalid:N0}, flagged {Flagged:N0} in {Seconds:0.00} s; nothing written (--dry-run)",
                    r.Path, r.Read, r.Valid, r.Invalid, r.Flagged, r.Seconds);
                break;
            default:
                Log.Information("{File}: read {Read:N0}, loaded {Loaded:N0}, duplicates {Duplicates:N0}, rejected {Rejected:N0}, flagged {Flagged:N0} in {Seconds:0.00} s",
                    r.Path, r.Read, r.Loaded, r.Duplicates, r.Rejected, r.Flagged, r.Seconds);
                break;
        }
        if (r.DuplicatesDiffering > 0)
            Log.Warning("{File}: {Count:N0} " + (r.DuplicatesDiffering == 1 ? "duplicate differs" : "duplicates differ")
                + " from the call already loaded under the same id ({Fields}; e.g. id {Id}); each call keeps the copy loaded first. To load the newer copies, ingest the file into a new warehouse",
                r.Path, r.DuplicatesDiffering,
                string.Join(", ", r.DifferingFields.Select(f => f.Key + " in " + f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))), r.DifferingExampleId);
        // A broken copy of a loaded call was counted as a duplicate without a word, where a valid one that differs is
        // warned of (found by probing ingest).
        if (r.DuplicatesInvalid > 0)
            Log.Warning("{File}: {Count:N0} " + (r.DuplicatesInvalid == 1 ? "record repeats" : "records repeat")
                + " the id of a call already loaded but " + (r.DuplicatesInvalid == 1 ? "fails" : "fail") + " validation; a record is judged once, so "
                + (r.DuplicatesInvalid == 1 ? "it counts" : "they count") + " as duplicates and each call stays as it was loaded",
                r.Path, r.DuplicatesInvalid);
        if (r.RejectsNowLoaded > 0)
            Log.Information("{File}: {Count:N0} of its calls had been rejected before under the same id; those rejects are kept, marked as loaded by run {RunId}, and no longer count as rejected records",
                r.Path, r.RejectsNowLoaded, r.RunId);
    }
}
