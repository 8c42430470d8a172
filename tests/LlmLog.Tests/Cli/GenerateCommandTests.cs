using System.Diagnostics;
using System.Text.RegularExpressions;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Cli;

/// <summary><c>llmlog generate</c> as a user runs it: what it writes, what it refuses, and what a failure leaves.</summary>
public sealed class GenerateCommandTests
{
    // Bug: 'generate 10 -o llmlog.duckdb' replaced the warehouse with ten records and exit 0, where export and report
    // refuse the same path (found by probing generate).
    [Fact]
    public async Task GenerateRefusesToWriteOverADuckDbDatabase()
    {
        using var folder = new TempFolder();
        var (log, db) = await WarehouseOfGeneratedCallsAsync(folder);
        var before = File.ReadAllBytes(db);

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "-o", db);

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().Contain($"--out {db} is a DuckDB database").And.Contain("choose another name");
        File.ReadAllBytes(db).Should().Equal(before);
        Directory.EnumerateFileSystemEntries(folder.Path).Order().Should().Equal(log, db);
    }

    // Bug: 'generate 10 -o llmlog.duckdb.wal' replaced the database's write-ahead log, which holds commits DuckDB has
    // not yet moved into the database file, and made one where there was none (found by probing generate).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GenerateRefusesToWriteTheWriteAheadLogOfADuckDbDatabase(bool walThere)
    {
        using var folder = new TempFolder();
        var (log, db) = await WarehouseOfGeneratedCallsAsync(folder);
        // DuckDB leaves no log after a clean close; this stands for one of a process still writing.
        if (walThere) File.WriteAllText(db + ".wal", "changes not yet in the database");
        string[] before = [.. Directory.EnumerateFileSystemEntries(folder.Path).Order()];
        var notes = folder.Combine("notes.wal");

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "-o", db + ".wal");
        var beside = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "-o", notes);

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().Contain($"--out {db}.wal is the write-ahead log of the DuckDB database {db}").And.Contain("choose another name");
        if (walThere) File.ReadAllText(db + ".wal").Should().Be("changes not yet in the database");
        beside.ExitCode.Should().Be(0, "a .wal name beside no database is an ordinary file");
        Directory.EnumerateFileSystemEntries(folder.Path).Order().Should().Equal([.. before, notes]);
    }

    // Bug: --end 2999-12-31 was taken, and calls late that day ended in 3000, which ingest refuses: --bad-rate 0 made
    // rejects (found by probing generate).
    [Fact]
    public async Task GenerateRefusesAnEndWhoseCallsCouldEndPastTheYearsIngestTakes()
    {
        using var folder = new TempFolder();

        var refused = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "--end", "2999-12-31", "-o", folder.Combine("far.jsonl"));
        var taken = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "--end", "2999-12-30", "-o", folder.Combine("near.jsonl"));

        refused.ExitCode.Should().Be((int)ExitCode.Usage, refused.Stderr);
        refused.Stderr.Should().Contain("--end 2999-12-31 is too late").And.Contain("give 2999-12-30 or earlier");
        taken.ExitCode.Should().Be(0, taken.Stderr);
        Directory.EnumerateFiles(folder.Path).Select(Path.GetFileName).Should().Equal(["near.jsonl"]);
    }

    // Bug: 'generate 10 -o llmlog.duckdb.tmp' wrote a file where DuckDB makes the folder it spills to when a command needs
    // more memory than its limit, so that every such command then failed; export and report refuse the name (found by
    // probing the docs).
    [Fact]
    public async Task GenerateRefusesToWriteWhereADuckDbDatabaseSpillsToDisk()
    {
        using var folder = new TempFolder();
        var (log, db) = await WarehouseOfGeneratedCallsAsync(folder);
        string[] before = [.. Directory.EnumerateFileSystemEntries(folder.Path).Order()];
        var other = folder.Combine("notes.tmp");

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "-o", db + ".tmp");
        var beside = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "-o", other);

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().Contain($"--out {db}.tmp is where the DuckDB database {db} spills to disk").And.Contain("choose another name");
        beside.ExitCode.Should().Be(0, "a .tmp name beside no database is an ordinary file");
        Directory.EnumerateFileSystemEntries(folder.Path).Order().Should().Equal([.. before, other]);
    }

    // Bug: a write that failed part-way (a full disk) left the records written so far under the name given, exit 3,
    // and the file that had been there was gone; Ctrl-C, by contrast, removed the cut-off file (found by probing generate).
    [Fact]
    public async Task AGenerateThatFailsPartWayLeavesTheFileThatWasThereAndNothingBesideIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("calls.jsonl", "yesterday's records\n");

        var (exit, stderr) = await LlmLogProcess.RunWithFileSizeLimitAsync(folder.Path, "generate", "20000", "--format", "jsonl", "--out", path);

        exit.Should().Be((int)ExitCode.InputError, stderr);
        stderr.Should().Contain($"cannot write {path}: ").And.NotContain("Internal error");
        File.ReadAllText(path).Should().Be("yesterday's records\n");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().Equal(path);
    }

    // "cannot write /dev/full: No space left on device : '/dev/full'" (found by probing generate).
    [Fact]
    public async Task AWriteErrorNamesTheFileOnce()
    {
        if (!File.Exists("/dev/full")) return;
        using var folder = new TempFolder();

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "1000", "--out", "/dev/full");

        result.ExitCode.Should().Be((int)ExitCode.InputError, result.Stderr);
        result.Stderr.Should().Contain($"cannot write /dev/full: {OutputFile.DiskFull}");
        Regex.Count(result.Stderr, "/dev/full").Should().Be(1, result.Stderr);
    }

    [Theory]
    [InlineData("calls.jsonl")]
    [InlineData("calls.jsonl.gz")]
    public async Task GenerateReplacesAnOrdinaryFileWholeAndLeavesNothingBesideIt(string name)
    {
        using var folder = new TempFolder();
        var path = folder.File(name, "yesterday's records\n");
        var expected = folder.Combine("expected-" + name);
        (await LlmLogProcess.RunAsync(folder.Path, "generate", "100", "--format", "jsonl", "--out", expected)).ExitCode.Should().Be(0);

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "100", "--format", "jsonl", "--out", path);

        result.ExitCode.Should().Be(0, result.Stderr);
        Uncompressed(path).Should().Equal(Uncompressed(expected));
        Directory.EnumerateFileSystemEntries(folder.Path).Order().Should().Equal(path, expected);
    }

    [Theory]
    [InlineData("calls.jsonl")]
    [InlineData("calls.ndjson.gz")]
    public async Task AJsonLinesNameMeansJsonLinesAndIngestLoadsItWithoutABogusReject(string name)
    {
        // 'generate 100 -o calls.jsonl' wrote an export object, which ingest read line by line: 100 loaded, 2 rejected.
        using var folder = new TempFolder();

        var run = await LlmLogProcess.RunAsync(folder.Path, "generate", "100", "-o", name);
        var contradicted = await LlmLogProcess.RunAsync(folder.Path, "generate", "100", "-o", "other.jsonl", "--format", "export");
        var ingest = await LlmLogProcess.RunAsync(folder.Path, "ingest", name, "--db", "w.duckdb");

        run.ExitCode.Should().Be(0, run.Stderr);
        Uncompressed(folder.Combine(name)).Take(1).Should().Equal((byte)'{');
        System.Text.Encoding.UTF8.GetString(Uncompressed(folder.Combine(name))).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(100);
        contradicted.ExitCode.Should().Be((int)ExitCode.Usage);
        contradicted.Stderr.Should().Contain("names a JSON Lines file but --format is export");
        ingest.Stdout.Should().Contain("read 100, loaded 100, duplicates 0, rejected 0");
    }

    [Fact]
    public async Task EndTodayWritesNoCallThatStartsAfterTheRun()
    {
        // '--end today gives data that looks live' wrote calls up to 23:59 of today, hours after the run (found by probing the docs).
        using var folder = new TempFolder();
        var before = DateTime.UtcNow;

        var run = await LlmLogProcess.RunAsync(folder.Path, "generate", "5000", "--days", "1", "--end", "today", "--format", "jsonl", "--out", "live.jsonl");
        var after = DateTime.UtcNow;

        run.ExitCode.Should().Be(0, run.Stderr);
        var created = File.ReadLines(folder.Combine("live.jsonl"))
            .Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)?["created"]?.GetValue<string>())
            .Where(c => c is not null)
            .Select(c => DateTime.Parse(c!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal))
            .ToList();
        created.Should().HaveCountGreaterThan(4000);
        created.Max().Should().BeOnOrBefore(after.AddSeconds(1), "no call starts after the run");
        created.Min().Should().BeOnOrAfter(before.Date, "the calls are today's");
    }

    // Found by review: "today" was read from llmlog's clock and the moment to stop at from the machine's, so under a fixed
    // clock (as the tests and snapshots run) --end today wrote the whole day.
    [Fact]
    public void EndTodayStopsAtTheMomentOfTheClockTodayWasReadFrom()
    {
        var now = new DateTime(2025, 2, 10, 6, 0, 0, DateTimeKind.Utc);

        var created = GeneratedTodayAt(now, 2000);

        created.Should().HaveCountGreaterThan(1500);
        created.Max().Should().BeOnOrBefore(now).And.BeOnOrAfter(now.Date);
    }

    // Found by probing: the hour the run cuts short spread its calls over a whole hour and clamped them to the run's
    // moment, so 170 of a day's 5,000 calls started in its very second.
    [Fact]
    public void EndTodayAtHalfPastSpreadsTheLastHoursCallsOverWhatItHolds()
    {
        var now = new DateTime(2025, 2, 10, 15, 30, 0, DateTimeKind.Utc);

        var created = GeneratedTodayAt(now, 5000);

        created.Max().Should().BeOnOrBefore(now);
        created.GroupBy(c => c).Max(g => g.Count()).Should().BeLessThan(10, "calls arrive a few a second at most, none piled on the run's moment");
        created.Count(c => c >= now.AddMinutes(-30)).Should().BeGreaterThan(50, "the half hour before the run has its share");
    }

    // Bug: a call that started a moment before the run kept its whole latency, so its metrics.end was after the run: a
    // log from the future. Half a minute after midnight, 2,000 calls share 30 seconds and most would end later.
    [Fact]
    public void EndTodayWritesNoCallThatEndsAfterTheRun()
    {
        var now = new DateTime(2025, 2, 10, 0, 0, 30, DateTimeKind.Utc);
        var nowSeconds = new DateTimeOffset(now).ToUnixTimeMilliseconds() / 1000.0;

        var records = GeneratedTodayRecordsAt(now, 2000);
        var metrics = records.Select(r => r["metrics"]).OfType<System.Text.Json.Nodes.JsonObject>().ToList();

        metrics.Should().HaveCountGreaterThan(1900, "all but the few defective records carry their metrics");
        metrics.Where(m => m["end"] is not null).Should().OnlyContain(m => m["end"]!.GetValue<double>() <= nowSeconds);
        metrics.Where(m => m["end"] is not null && m["start"] is not null && m["time_to_first_token"] is not null)
            .Should().OnlyContain(m => m["time_to_first_token"]!.GetValue<double>() <= m["end"]!.GetValue<double>() - m["start"]!.GetValue<double>() + 1e-9,
                "a first token shortened with its call still comes within it");
        // Its completion is shortened with it: 800 tokens in a few ms made the day's throughput absurd (found by review).
        metrics.Where(m => m["completion_tokens"] is not null && m["end"] is not null && m["start"] is not null)
            .Select(m => m["completion_tokens"]!.GetValue<double>() / Math.Max(0.001, m["end"]!.GetValue<double>() - m["start"]!.GetValue<double>()))
            .Should().OnlyContain(tokensPerSecond => tokensPerSecond < 2_000, "no model of the generator writes faster than a few hundred tokens a second");
    }

    // The created times of `generate COUNT --days 1 --end today` run in-process with llmlog's clock fixed at now.
    private static List<DateTime> GeneratedTodayAt(DateTime now, int count) =>
        GeneratedTodayRecordsAt(now, count)
            .Select(record => record["created"]?.GetValue<string>())
            .Where(c => c is not null)
            .Select(c => DateTime.Parse(c!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal))
            .ToList();

    // Found by probing the generator: at exactly midnight one day up to today held no time, and the calls were spread
    // over the whole day, every one cut to end at the run's moment.
    [Fact]
    public void OneDayUpToTodayAtMidnightIsRefusedAsNoTimeYet()
    {
        using var folder = new TempFolder();

        int atMidnight, aSecondLater;
        using (Clock.Freeze(new DateTime(2025, 2, 10, 0, 0, 0, DateTimeKind.Utc)))
        {
            atMidnight = LlmLog.Cli.LlmLogCli.Run(["generate", "100", "--days", "1", "--end", "today", "--out", folder.Combine("midnight.json")]);
        }
        using (Clock.Freeze(new DateTime(2025, 2, 10, 0, 0, 1, DateTimeKind.Utc)))
        {
            aSecondLater = LlmLog.Cli.LlmLogCli.Run(["generate", "100", "--days", "1", "--end", "today", "--out", folder.Combine("later.json")]);
        }

        atMidnight.Should().Be((int)ExitCode.Usage);
        File.Exists(folder.Combine("midnight.json")).Should().BeFalse();
        aSecondLater.Should().Be(0, "a second of today is time for calls");
    }

    // The records of `generate COUNT --days 1 --end today` run in-process with llmlog's clock fixed at now.
    private static List<System.Text.Json.Nodes.JsonObject> GeneratedTodayRecordsAt(DateTime now, int count)
    {
        using var folder = new TempFolder();
        using (Clock.Freeze(now))
        {
            LlmLog.Cli.LlmLogCli.Run(["generate", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--days", "1", "--end", "today", "--format", "jsonl", "--out", folder.Combine("live.jsonl")]).Should().Be(0);
        }
        return File.ReadLines(folder.Combine("live.jsonl")).Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)).OfType<System.Text.Json.Nodes.JsonObject>().ToList();
    }

    // The help said the bad rate mixes in "invalid records of every reject kind"; it writes some kinds, not every one.
    [Fact]
    public async Task TheHelpSaysWhatTheBadRateMixesInAndWhichSeedsThereAre()
    {
        using var folder = new TempFolder();

        var help = await LlmLogProcess.RunAsync(folder.Path, "generate", "--help");

        var text = Regex.Replace(help.Stdout, @"\s+", " ");
        text.Should().NotContain("every reject kind");
        text.Should().Contain("not an object").And.Contain("flagged").And.Contain("0 to 2147483646");
    }

    private static byte[] Uncompressed(string path)
    {
        using var file = File.OpenRead(path);
        using var data = path.EndsWith(".gz", StringComparison.Ordinal) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : (Stream)file;
        using var copy = new MemoryStream();
        data.CopyTo(copy);
        return copy.ToArray();
    }

    // A DuckDB warehouse of 20 generated calls, made the way a user makes one: the log and the database beside it.
    private static async Task<(string Log, string Db)> WarehouseOfGeneratedCallsAsync(TempFolder folder)
    {
        var log = folder.Combine("calls.jsonl");
        var db = folder.Combine("llmlog.duckdb");
        (await LlmLogProcess.RunAsync(folder.Path, "generate", "20", "--format", "jsonl", "--out", log)).ExitCode.Should().Be(0);
        (await LlmLogProcess.RunAsync(folder.Path, "ingest", log, "--db", db)).ExitCode.Should().Be(0);
        return (log, db);
    }
}
