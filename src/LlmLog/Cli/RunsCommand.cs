using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmLog.Loading;
using LlmLog.Report;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Cli;

/// <summary>
/// <c>llmlog runs</c>: the ingest runs whose records may be missing (failed or cut short, and not completed since), or
/// every run; <c>llmlog runs resolve</c> settles such a run by hand when its records came in a way no run recognises.
/// </summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "List every run (loaded, skipped, completed and resolved ones too), not only the open ones" };
        var limit = new Option<int>("--limit")
        {
            Description = "List at most this many runs, the newest; 0 lists every one",
            DefaultValueFactory = _ => 50,
            HelpName = "count",
            CustomParser = r => (int)OptionParsers.Whole("--limit", 0, int.MaxValue)(r),
        };
        var format = new Option<string>("--format")
        {
            Description = "table (readable) or json (one object, for scripts)",
            DefaultValueFactory = _ => "table",
            HelpName = "table|json",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var exitCode = new Option<bool>("--exit-code")
        {
            Description = "Exit 3 when any run is open, after listing: for a monitoring job, which cron mails on a non-zero exit",
        };
        var command = new Command("runs", "List the ingest runs that failed or were cut short and that no later run completed and nobody resolved: the inputs whose records the report says may be missing. --all lists every run. "
            + "'llmlog runs resolve' settles one whose records came in another way.")
        {
            all, limit, format, exitCode, SharedOptions.LockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        command.SetAction(parse =>
        {
            Interruption.Leaves(_ => "Nothing is changed: runs only reads the warehouse (an upgrade of its schema it was making is rolled back, or kept whole); run the same command again to see the runs");
            var target = SharedOptions.Target(parse);
            using var warehouse = UpToDateWarehouse.Open(target, TimeSpan.FromSeconds(parse.GetValue(SharedOptions.LockTimeout)), needsAggregatedDays: false);
            var listing = RunLedger.List(warehouse, openOnly: !parse.GetValue(all), parse.GetValue(limit));
            StandardOutput.Write(parse.GetValue(format) == "json" ? Json(listing, target.Display) + "\n" : Table(listing, target.Display));
            return (int)(parse.GetValue(exitCode) && listing.OpenTotal > 0 ? ExitCode.InputError : ExitCode.Success);
        });
        command.Subcommands.Add(CreateResolve([all, limit, format, exitCode]));
        command.Subcommands.Add(CreateReopen([all, limit, format, exitCode]));
        return command;
    }

    private static Command CreateResolve(IReadOnlyList<Option> listOptions)
    {
        var note = new Option<string>("--note")
        {
            Description = $"What became of the runs' records: where they were loaded from, or why they are not needed (one line, at most {RunLedger.MaxNoteLength} characters); the report prints it under its ingest runs table",
            Required = true,
            HelpName = "text",
        };
        var command = new Command("resolve", "Mark runs that failed or were cut short as resolved by hand, with a note: the report stops saying their records are missing. "
            + "For records that came in a way llmlog cannot recognise (a cut log moved to another folder, a cut pipe sent again, an error page replaced by the export); "
            + "a run that reads the whole file completes such a run by itself. Nothing else changes: no record is loaded or removed. 'llmlog runs reopen' undoes it.")
        {
            note, SharedOptions.LockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        var ids = RunIds(command, "resolve", listOptions);
        command.SetAction(parse =>
        {
            Interruption.Leaves(_ => "Nothing is changed: the runs given are resolved together or not at all; run the same command again");
            var target = SharedOptions.Target(parse);
            var given = parse.GetValue(note) ?? "";
            RunLedger.CheckNote(given);
            using var warehouse = OpenToWrite(target, parse, out var lockTimeout);
            var results = RunLedger.Resolve(warehouse, parse.GetValue(ids) ?? [], given, lockTimeout);
            StandardOutput.Write(Resolved(results));
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static Command CreateReopen(IReadOnlyList<Option> listOptions)
    {
        var command = new Command("reopen", "Undo 'llmlog runs resolve': the runs given lose their resolution and note, and the report says again that their records may be missing.")
        {
            SharedOptions.LockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        var ids = RunIds(command, "reopen", listOptions);
        command.SetAction(parse =>
        {
            Interruption.Leaves(_ => "Nothing is changed: the runs given are reopened together or not at all; run the same command again");
            using var warehouse = OpenToWrite(SharedOptions.Target(parse), parse, out var lockTimeout);
            var results = RunLedger.Reopen(warehouse, parse.GetValue(ids) ?? [], lockTimeout);
            StandardOutput.Write(Resolved(results));
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static WarehouseConnection OpenToWrite(DatabaseTarget target, ParseResult parse, out TimeSpan lockTimeout)
    {
        WarehouseConnection.RequireExisting(target);
        lockTimeout = TimeSpan.FromSeconds(parse.GetValue(SharedOptions.LockTimeout));
        return WarehouseConnection.Open(target, lockTimeout);
    }

    /// <summary>
    /// The run ids <c>runs VERB</c> takes, added to <paramref name="command"/>; and a refusal of the options of
    /// <c>runs</c> itself: 'llmlog runs --all resolve 5' resolved run 5 and ignored --all without a word (found by probing).
    /// </summary>
    private static Argument<long[]> RunIds(Command command, string verb, IReadOnlyList<Option> listOptions)
    {
        // An option the command does not know reaches the ids, as they take any number of words: it was told
        // "a run id is a whole number ..., not '--lock-timout'" (found by probing).
        string UnknownOption(string token)
        {
            var name = token.Split('=', 2)[0];
            var meant = Spelling.Nearest(name, command.Options.Select(o => o.Name).Concat(["--log-format", "--log-level", "--help"]));
            var ofRuns = listOptions.Any(o => o.Name == name) ? $"; {name} is an option of 'llmlog runs', which lists runs" : "";
            return meant is not null ? $"unknown option {name} for runs {verb}; did you mean {meant}?" : $"unknown option {name} for runs {verb}{ofRuns}";
        }
        var ids = new Argument<long[]>("run-id")
        {
            Description = $"The runs to {verb}, by the ids 'llmlog runs', the report and 'llmlog export --table runs' give",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = r =>
            {
                var parsed = new List<long>();
                foreach (var t in r.Tokens)
                {
                    if (long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1)
                    {
                        parsed.Add(id);
                        continue;
                    }
                    r.AddError(t.Value.StartsWith("--", StringComparison.Ordinal)
                        ? UnknownOption(t.Value)
                        : $"a run id is a whole number of 1 or more, as 'llmlog runs' lists them, not '{t.Value}'");
                    break;
                }
                return [.. parsed];
            },
        };
        command.Arguments.Add(ids);
        command.Validators.Add(result =>
        {
            foreach (var option in listOptions)
            {
                if (result.GetResult(option) is { IdentifierToken: not null }) result.AddError($"{option.Name} is an option of 'llmlog runs', which lists runs; drop it from runs {verb}");
            }
        });
        return ids;
    }

    internal static string Table(LedgerListing listing, string database)
    {
        var text = new StringBuilder();
        var runs = listing.Runs;
        if (listing.Total == 0)
        {
            return listing.OpenOnly && !listing.NoRunYet
                ? $"No open runs in {database}: every run that failed or was cut short was completed by a later run or resolved by hand ('llmlog runs --all' lists every run).\n"
                : $"No ingest runs in {database} yet: nothing has been ingested into it, so no record of a run can be missing.\n";
        }
        var listed = runs.Count < listing.Total ? $" (the newest {Format.Count(runs.Count)} listed)" : "";
        text.AppendLine(listing.OpenOnly
            ? $"{Counting.Counted(listing.Total, "open run")} in {database}{listed}: failed or cut short, and neither completed by a later run nor resolved by hand; the records they did not read may be missing from every number. Newest first:"
            : $"{Counting.Counted(listing.Total, "ingest run")} in {database}{listed}, newest first:");
        var rows = runs.Select(r => new[]
        {
            r.RunId.ToString(CultureInfo.InvariantCulture), Format.Local(r.StartedAt), Status(r), Format.Count(r.RecordsRead),
            Format.Count(r.RecordsLoaded), Format.Count(r.RecordsRejected), ConsoleLogging.Printable(r.FilePath),
        }).ToList();
        string[] header = ["run", "started (UTC)", "status", "read", "loaded", "rejected", "file"];
        var widths = header.Select((h, i) => rows.Select(row => row[i].Length).Append(h.Length).Max()).ToArray();
        // Numbers right-aligned; the status and the path, which can be long, left-aligned, the path last and unpadded.
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c
            : i is 1 or 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        text.AppendLine(Line(header));
        foreach (var (row, run) in rows.Zip(runs))
        {
            text.AppendLine(Line(row));
            if (run.Open && run.Message is { } why) text.Append(' ', widths[0] + 2).AppendLine(ConsoleLogging.Printable(why));
            if (run.ResolvedAt is not null) text.Append(' ', widths[0] + 2).Append("resolved: ").AppendLine(run.ResolvedNote);
        }
        if (runs.Count < listing.Total) text.Append(Format.Count(listing.Total - runs.Count)).AppendLine(" older not shown: --limit 0 lists every one.");
        // With --all and a limit, the open runs may all be older than the rows shown, and --exit-code failed for them
        // while the table said nothing of them (found by probing).
        if (!listing.OpenOnly && listing.OpenTotal > 0)
        {
            text.Append(Counting.Counted(listing.OpenTotal, "run")).AppendLine(listing.OpenTotal == 1 ? " is open: 'llmlog runs' lists it." : " are open: 'llmlog runs' lists them.");
        }
        if (runs.Any(r => r.Open))
        {
            text.AppendLine("A run of a file is completed by the run that reads the whole file again from the same path (docs/ingest.md); standard input cannot be read again. "
                + "When a run's records came in another way, 'llmlog runs resolve RUN_ID --note \"...\"' says so, and the report stops saying they are missing.");
        }
        return text.ToString();
    }

    private static string Status(LedgerRun r)
    {
        if (r.CompletedByRun is { } by) return string.Create(CultureInfo.InvariantCulture, $"{r.Status}, completed by run {by}");
        if (r.ResolvedAt is { } at) return $"{r.Status}, resolved {Format.Day(DateOnly.FromDateTime(at))}";
        return r.Status;
    }

    internal static string Json(LedgerListing listing, string database) => JsonSerializer.Serialize(new
    {
        database,
        open_only = listing.OpenOnly,
        total = listing.Total,
        open_total = listing.OpenTotal,
        runs = listing.Runs.Select(r => new
        {
            run_id = r.RunId,
            file_path = r.FilePath,
            started_at = Instant(r.StartedAt),
            status = r.Status,
            records_read = r.RecordsRead,
            records_loaded = r.RecordsLoaded,
            records_duplicate = r.RecordsDuplicate,
            records_rejected = r.RecordsRejected,
            message = r.Message,
            completed_by_run = r.CompletedByRun,
            resolved_at = r.ResolvedAt is { } at ? Instant(at) : null,
            resolved_note = r.ResolvedNote,
            open = r.Open,
        }),
    }, JsonOutput.Options);

    internal static string Resolved(IReadOnlyList<ResolvedRun> results)
    {
        var text = new StringBuilder();
        foreach (var (run, outcome, with) in results)
        {
            var which = string.Create(CultureInfo.InvariantCulture, $"run {run.RunId} ({run.Status}, {ConsoleLogging.Printable(run.FilePath)}, started {Format.Utc(run.StartedAt)})");
            // Runs of the same file as one given go with it: they read the same bytes, so the same note is true of them.
            // A run cut short goes with the others cut short on the same bytes, wherever they were read; a failed run with
            // those of the same bytes, path and modification time (sql/runs/find_same_file_runs.sql).
            var alongside = with is not { } given ? ""
                : run.Status == "partial" ? string.Create(CultureInfo.InvariantCulture, $" with run {given}, which was cut short on the same bytes")
                : string.Create(CultureInfo.InvariantCulture, $" with run {given}, which failed on the same file (the same bytes, path and modification time)");
            text.AppendLine(outcome switch
            {
                Resolution.Resolved => $"Resolved {which}{alongside}: the report no longer says its records are missing.",
                Resolution.AlreadyResolved => $"Left {which} as it was: resolved before, on {Format.Utc(run.ResolvedAt!.Value)} ({run.ResolvedNote}).",
                Resolution.AlreadyCompleted => string.Create(CultureInfo.InvariantCulture, $"Left {which} as it was: run {run.CompletedByRun} read the whole file since, so nothing of it is missing."),
                Resolution.Reopened => $"Reopened {which}{alongside}: the report says again that its records may be missing.",
                _ => $"Left {which} as it was: it was not resolved.",
            });
        }
        return text.ToString();
    }

    private static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
