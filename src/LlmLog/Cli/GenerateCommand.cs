using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using LlmLog.Generation;

namespace LlmLog.Cli;

/// <summary><c>llmlog generate N</c>: realistic, deterministic call logs for trying llmlog out and for benchmarks.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var count = new Argument<long>("count") { Description = "How many records to write", CustomParser = OptionParsers.Whole("count", 0, long.MaxValue) };
        var output = new Option<string>("--out", "-o")
        {
            Description = "File to write; '-' for standard output. A name ending in .gz is gzip-compressed",
            DefaultValueFactory = _ => "-",
            HelpName = "file",
        };
        output.NonEmptyPath("give the file to write, or - (the default) for standard output");
        var format = new Option<string>("--format")
        {
            Description = "export (a Braintrust BTQL export object) or jsonl (one record per line); --out NAME.jsonl or .ndjson alone means jsonl",
            DefaultValueFactory = _ => "export",
            HelpName = "export|jsonl",
        };
        format.AcceptOnlyFromAmong("export", "jsonl");
        var seed = new Option<int>("--seed")
        {
            Description = $"Random seed, 0 to {CallLogGenerator.MaxSeed.ToString(CultureInfo.InvariantCulture)}: the same seed writes the same bytes (with the same llmlog version)",
            DefaultValueFactory = _ => 42,
            CustomParser = r => (int)OptionParsers.Whole("--seed", 0, CallLogGenerator.MaxSeed)(r),
        };
        var days = new Option<int>("--days")
        {
            Description = "Days of traffic, newest first",
            DefaultValueFactory = _ => 14,
            CustomParser = r => (int)OptionParsers.Whole("--days", 1, CallLogGenerator.MaxDays)(r),
        };
        var end = new Option<DateOnly?>("--end")
        {
            Description = "Newest day: YYYY-MM-DD, or today, yesterday or today-N (UTC); default 2025-02-28 so output never depends on today. Today's calls stop at the moment of the run",
            HelpName = "date",
            CustomParser = OptionParsers.Day("--end"),
        };
        var badRate = new Option<double>("--bad-rate")
        {
            Description = "Share (0-0.5) of records ingest rejects, each with one common fault (not an object; created or model missing or unreadable; "
                + "a token count, time, temperature, max_tokens, cost or stream of the wrong type or out of range), and the same share of loaded but "
                + "flagged ones (tokens mismatch, TTFT over latency, completion over max_tokens)",
            HelpName = "rate",
            DefaultValueFactory = _ => 0,
            CustomParser = OptionParsers.Number("--bad-rate", 0, CallLogGenerator.MaxBadRate),
        };

        var command = new Command("generate", "Write realistic LLM call-log records (model mix, streamed calls without usage, heavy-tailed latencies and tokens, newest first) in constant memory.")
        {
            count, output, format, seed, days, end, badRate,
        };
        command.SetAction(parse =>
        {
            var defaults = new CallLogGeneratorOptions();
            var newest = parse.GetValue(end) ?? defaults.End;
            // A call late on the last day of 2999 ends in 3000, which ingest refuses: --bad-rate 0 made rejects (found by
            // probing generate).
            var lastEnd = DateOnly.FromDateTime(Validation.Timestamps.AfterLastCreated).AddDays(-2);
            if (newest > lastEnd)
            {
                throw new LlmLogException(ExitCode.Usage, string.Create(CultureInfo.InvariantCulture,
                    $"--end {newest:yyyy-MM-dd} is too late: a call of that day could end in {Validation.Timestamps.AfterLastCreated:yyyy}, which ingest refuses; give {lastEnd:yyyy-MM-dd} or earlier"));
            }
            var oldest = newest.AddDays(1 - parse.GetValue(days));
            if (oldest < GeneratedModels.FirstDay)
            {
                throw new LlmLogException(ExitCode.Usage, string.Create(CultureInfo.InvariantCulture,
                    $"--days {parse.GetValue(days)} up to {newest:yyyy-MM-dd} would start on {oldest:yyyy-MM-dd}, before the first generated model ({GeneratedModels.FirstDay:yyyy-MM-dd}); use fewer days or a later --end"));
            }
            // At midnight, one day up to now is no time at all: the calls were spread over the whole day and all cut to end
            // at once (found by probing the generator).
            var now = Clock.UtcNow;
            if (newest == DateOnly.FromDateTime(now) && now - oldest.ToDateTime(TimeOnly.MinValue) < TimeSpan.FromSeconds(1))
            {
                throw new LlmLogException(ExitCode.Usage, string.Create(CultureInfo.InvariantCulture,
                    $"--days {parse.GetValue(days)} up to today holds no time yet: it is {now:HH:mm:ss} UTC, and today's calls stop at the moment of the run; give more days, or --end yesterday"));
            }
            CallLogGenerator generator;
            try
            {
                generator = new CallLogGenerator(new CallLogGeneratorOptions
                {
                    Count = parse.GetValue(count),
                    Seed = parse.GetValue(seed),
                    Days = parse.GetValue(days),
                    End = newest,
                    // Today's calls stop at the moment of the run: "--end today gives data that looks live" gave calls
                    // from later today (found by probing the docs).
                    // The clock "today" was read from, not the machine's: the two disagreed under a fixed clock (found by review).
                    NotAfter = newest == DateOnly.FromDateTime(now) ? new DateTimeOffset(now, TimeSpan.Zero) : null,
                    BadRate = parse.GetValue(badRate),
                    Format = FormatFor(parse.GetValue(output)!, parse.GetValue(format)!, explicitly: parse.GetResult(format) is { Implicit: false }),
                });
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new LlmLogException(ExitCode.Usage, e.Message);
            }
            var path = OutputFile.DashForStandardOutput(parse.GetValue(output))!;
            var toStdout = path == "-";
            if (!toStdout && Directory.Exists(path))
            {
                // A name of the format asked for: "calls.jsonl" was suggested for an export object too (found by probing the generator).
                var name = generator.Options.Format == CallLogFormat.Export ? "calls.json" : "calls.jsonl";
                throw new LlmLogException(ExitCode.Usage, $"--out {path} is a folder; give a file name such as {Path.Combine(path, name)}");
            }
            var folder = toStdout ? null : Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (folder is not null && !Directory.Exists(folder)) throw OutputFile.MissingFolder(path, folder, $"--out {path}: the folder {folder} does not exist");
            if (toStdout || FileKind.IsPipeOrDevice(path))
            {
                // Written as they come, with no file to take back.
                var where = toStdout ? "standard output" : path;
                Interruption.Leaves(_ => $"The records written to {where} so far end mid-way and are not a whole log: discard them, and run the same command again");
            }
            else
            {
                Interruption.Leaves(removed => removed > 0
                    ? $"The records written so far are removed, and {path} is as it was before the run; run the same command again to write it"
                    : $"No unfinished file is left: {path} is whole, or as it was before the run; run the same command again to be sure");
            }
            if (toStdout)
            {
                try
                {
                    Write(generator, OutputFile.OpenStandardOutput, gzip: false, "standard output");
                }
                catch (LlmLogException e) when (e.InnerException is { } cause && StandardOutput.Refused(cause))
                {
                    // '>&-' read "Access to the path is denied", where the other commands say it is closed (found by probing the CLI).
                    throw StandardOutput.Unwritable(cause);
                }
                return 0;
            }
            var gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            if (FileKind.IsPipeOrDevice(path))
            {
                // A FIFO or a device such as /dev/null is written into, never made: a rename would replace it.
                Write(generator, () => new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), gzip, path);
            }
            else
            {
                WriteBesideAndRename(generator, OutputFile.Resolve(path), gzip, path);
            }
            Serilog.Log.Information("Wrote {Count:N0} records to {Path}", parse.GetValue(count), path);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A name that says JSON Lines means JSON Lines: 'generate 100 -o calls.jsonl' wrote an export object into it, which
    /// ingest then read line by line with two bogus rejects (found by looking at a probe's run). Said otherwise, refused.
    /// </summary>
    internal static CallLogFormat FormatFor(string output, string format, bool explicitly)
    {
        var name = output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? output[..^3] : output;
        var linesName = name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);
        if (linesName && explicitly && format == "export")
        {
            throw new LlmLogException(ExitCode.Usage, $"--out {output} names a JSON Lines file but --format is export; drop --format, or name the file .json");
        }
        return format == "jsonl" || linesName ? CallLogFormat.JsonLines : CallLogFormat.Export;
    }

    /// <summary>
    /// Writes the records under a hidden name beside <paramref name="target"/> and renames them into place when whole,
    /// as <c>report</c> does: written in place, a failed run (a full disk) left the records cut off mid-way under the
    /// name given, where the next ingest would read them, and the file that had been there was gone already.
    /// </summary>
    private static void WriteBesideAndRename(CallLogGenerator generator, string target, bool gzip, string named)
    {
        OutputFile.RefuseNonUtf8Name("--out", named);
        // '-o llmlog.duckdb' replaced the warehouse with the generated records, without a word.
        OutputFile.RefuseDuckDbFiles("--out", target, named, "generate", "records");
        Export.ExportTrees.RefuseInside("--out", named);
        OutputFile.RequireWritable(target, named);
        var temp = OutputFile.StagingNameBeside(target);
        // Listed before it is made, so that Ctrl-C or SIGTERM removes it as well.
        PartialFiles.Add(temp);
        try
        {
            Write(generator, () => new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), gzip, named);
            try
            {
                PartialFiles.MoveIntoPlace(temp, target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LlmLogException(ExitCode.InputError, $"cannot write {named}: {OutputFile.Reason(e)}", e);
            }
        }
        finally
        {
            try
            {
                File.Delete(temp); // gone already when renamed; else what was written so far
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Its folder went away or was locked down meanwhile: the failure that got here is the one to report.
            }
            PartialFiles.Remove(temp);
        }
    }

    /// <summary>Writes every record to the stream <paramref name="open"/> opens (gzipped when asked); a failed write is exit 3.</summary>
    private static void Write(CallLogGenerator generator, Func<Stream> open, bool gzip, string named)
    {
        try
        {
            using var file = open();
            using var target = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
            generator.Write(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || OutputFile.IsTooLarge(e))
        {
            // Not writable, or the disk (or /dev/full as standard output) filled up: the user's to fix, not a bug of
            // llmlog's. EFBIG reached the user as a usage error, exit 2, with the cut-off file left behind.
            throw new LlmLogException(ExitCode.InputError, $"cannot write {named}: {OutputFile.Reason(e)}", e);
        }
    }
}
