using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmLog.Loading;
using LlmLog.Warehouse;

namespace LlmLog.Cli;

/// <summary><c>llmlog ingest PATH...</c>: validate and load log exports, then refresh the marts.</summary>
public static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Log files (.json, .jsonl, .ndjson, optionally .gz), directories (every log file inside, logs rotated without compression such as app.jsonl.1 too, in name order), or - for standard input",
            Arity = ArgumentArity.OneOrMore,
        };
        paths.NonEmptyPaths("name a log file or folder, or - for standard input");
        var force = new Option<bool>("--force") { Description = "Re-read files already loaded (same SHA-256); records already loaded are still skipped as duplicates" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and count without opening the database" };
        var maxRejectRate = new Option<double?>("--max-reject-rate")
        {
            Description = "Exit with code 5 when more than this share (0-1) of the records the run reads, all its inputs together, fails validation, counting bad records already kept by an earlier run; a file above it in a run that stays below is warned of; good records are loaded either way",
            HelpName = "rate",
            CustomParser = r => OptionParsers.Number("--max-reject-rate", 0, 1)(r),
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the totals and a per-file list on stdout (only exit_code and message when the run stops early)" };

        var command = new Command("ingest", "Stream log exports into the warehouse: validate every record, load the good ones, keep the bad ones with their reason, then refresh the daily marts. Safe to re-run.")
        {
            paths, force, dryRun, maxRejectRate, json, SharedOptions.LockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        command.SetAction(parse =>
        {
            var options = new IngestOptions
            {
                Force = parse.GetValue(force),
                DryRun = parse.GetValue(dryRun),
                MaxRejectRate = parse.GetValue(maxRejectRate),
                LockTimeout = TimeSpan.FromSeconds(parse.GetValue(SharedOptions.LockTimeout)),
            };
            IngestSummary summary;
            if (parse.GetValue(json))
            {
                Interruption.OnInterrupt((code, message) => StandardOutput.Write(JsonSerializer.Serialize(new { exit_code = code, message }, JsonOutput.Options) + "\n"));
            }
            try
            {
                // Inside the try: a --db that cannot be read is an early stop like any other, and --json must say so.
                var target = SharedOptions.Target(parse);
                using var progress = ProgressLine.Enabled ? new ProgressLine() : null;
                summary = IngestRunner.Run(target, parse.GetValue(paths)!, options, progress is null ? null : progress.Report, refreshProgress: progress is null ? null : progress.Report);
            }
            catch (Exception e) when (parse.GetValue(json) && LlmLogCli.Outcome(e, command.Name) is { } outcome)
            {
                // A scheduler that reads --json gets an object whatever stopped the run, not an empty stdout: a database
                // error of its own (a role without SELECT on the ledger) printed none (found by review).
                StandardOutput.Write(JsonSerializer.Serialize(new { exit_code = (int)outcome.Code, message = outcome.Message }, JsonOutput.Options) + "\n");
                throw;
            }
            StandardOutput.Write((parse.GetValue(json) ? JsonSerializer.Serialize(summary, JsonOutput.Options) : HumanSummary(summary)) + "\n");
            if (summary.Message is not null && summary.ExitCode != ExitCode.Success) Serilog.Log.Error("{Message}", summary.Message);
            return (int)summary.ExitCode;
        });
        return command;
    }

    internal static string HumanSummary(IngestSummary s)
    {
        var verb = s.DryRun ? "Validated" : "Ingested";
        // No input at all: the database was never opened, so it is not named.
        if (s.Files.Count == 0) return $"{verb} 0 files: nothing was read or written";
        var files = s.Files.Count == 1 ? "1 file" : $"{s.Files.Count} files";
        var extra = new List<string>();
        // The bytes of a run resolved by hand were not loaded: "already loaded" said they were (found by probing).
        var resolved = s.Files.Count(f => f.Status == FileStatus.Skipped && f.ResolvedRun is not null);
        if (s.SkippedFiles - resolved > 0) extra.Add($"{s.SkippedFiles - resolved} skipped as already loaded");
        if (resolved > 0) extra.Add($"{resolved} skipped as resolved by hand");
        if (s.FailedFiles > 0) extra.Add($"{s.FailedFiles} with errors");
        if (s.Files.Count(f => f.StillIncomplete) is > 0 and var incomplete) extra.Add($"{incomplete} still incomplete");
        var tail = extra.Count > 0 ? $" ({string.Join(", ", extra)})" : "";
        if (s.DryRun)
        {
            // Nothing is opened, so duplicates of loaded records are unknown: "valid" is what a load would keep before them.
            return string.Create(CultureInfo.InvariantCulture,
                $"{verb} {files}{tail}: read {s.Read:N0}, valid {s.Valid:N0}, invalid {s.Invalid:N0}, flagged {s.Flagged:N0}; nothing written (--dry-run) in {s.Seconds:0.0} s");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{verb} {files}{tail}: read {s.Read:N0}, loaded {s.Loaded:N0}, duplicates {s.Duplicates:N0}, rejected {s.Rejected:N0}, flagged {s.Flagged:N0} → {s.Database} in {s.Seconds:0.0} s");
    }
}

/// <summary>JSON conventions of every --json output: snake_case names, enums as lower-case strings.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
        // For machines and people reading a log, not for a web page: "<stdin>" and "café.jsonl" as they are, where the
        // default wrote "\u003Cstdin\u003E" and "caf\u00E9.jsonl" (found by probing the CLI). Quotes, backslashes and
        // control characters are still escaped.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
