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
        var format = new Option<string>("--format")
        {
            Description = "export (a Braintrust BTQL export object) or jsonl (one record per line)",
            DefaultValueFactory = _ => "export",
            HelpName = "export|jsonl",
        };
        format.AcceptOnlyFromAmong("export", "jsonl");
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes the same bytes (with the same llmlog version)", DefaultValueFactory = _ => 42 };
        var days = new Option<int>("--days")
        {
            Description = "Days of traffic, newest first",
            DefaultValueFactory = _ => 14,
            CustomParser = r => (int)OptionParsers.Whole("--days", 1, CallLogGenerator.MaxDays)(r),
        };
        var end = new Option<DateOnly?>("--end")
        {
            Description = "Newest day (YYYY-MM-DD, UTC); default 2025-02-28 so output never depends on today",
            HelpName = "date",
            CustomParser = OptionParsers.Day("--end"),
        };
        var badRate = new Option<double>("--bad-rate")
        {
            Description = "Share (0-0.5) of invalid records of every reject kind, and the same share of flagged-but-valid ones",
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
            var oldest = newest.AddDays(1 - parse.GetValue(days));
            if (oldest < GeneratedModels.FirstDay)
            {
                throw new LlmLogException(ExitCode.Usage, string.Create(CultureInfo.InvariantCulture,
                    $"--days {parse.GetValue(days)} up to {newest:yyyy-MM-dd} would start on {oldest:yyyy-MM-dd}, before the first generated model ({GeneratedModels.FirstDay:yyyy-MM-dd}); use fewer days or a later --end"));
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
                    BadRate = parse.GetValue(badRate),
                    Format = parse.GetValue(format) == "jsonl" ? CallLogFormat.JsonLines : CallLogFormat.Export,
                });
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new LlmLogException(ExitCode.Usage, e.Message);
            }
            var path = parse.GetValue(output)!;
            var toStdout = path == "-";
            if (!toStdout && Directory.Exists(path))
            {
                throw new LlmLogException(ExitCode.Usage, $"--out {path} is a folder; give a file name such as {Path.Combine(path, "calls.jsonl")}");
            }
            var folder = toStdout ? null : Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (folder is not null && !Directory.Exists(folder)) throw new LlmLogException(ExitCode.Usage, $"--out {path}: the folder {folder} does not exist");
            // Written in place: interrupted, the file would be records cut off mid-way, so it goes (never a pipe or
            // a device such as /dev/null, which is written into, not made).
            var partial = toStdout || OutputFile.IsPipeOrDevice(path) ? null : OutputFile.Resolve(path);
            if (partial is not null) PartialFiles.Add(partial);
            try
            {
                using var file = toStdout ? OutputFile.OpenStandardOutput() : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                using var target = !toStdout && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
                generator.Write(target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not writable, or the disk (or /dev/full as standard output) filled up: the user's to fix, not a bug of llmlog's.
                throw new LlmLogException(ExitCode.InputError, $"cannot write {(toStdout ? "standard output" : path)}: {e.Message}", e);
            }
            if (partial is not null) PartialFiles.Remove(partial);
            if (toStdout) return 0;
            Serilog.Log.Information("Wrote {Count} records to {Path}", parse.GetValue(count).ToString("N0", CultureInfo.InvariantCulture), path);
            return 0;
        });
        return command;
    }
}
