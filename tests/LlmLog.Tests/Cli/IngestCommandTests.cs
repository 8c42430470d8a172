using System.Diagnostics;
using System.Net.Sockets;
using Dapper;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using LlmLog.Tests.Generation;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Cli;

/// <summary>The ingest command as a user or a scheduler runs it: a separate process.</summary>
public class IngestCommandTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    [Fact]
    public async Task AFileNameWithALineBreakOrATerminalEscapeCannotForgeALogLine()
    {
        // The text log wrote names as they were: a file in an input folder could add a fake line and colour the terminal.
        using var dir = new TempFolder();
        dir.File("in/evil\n12:00:00 INF all good\u001b[31m.jsonl", Some.JsonLines([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "in", "--db", dir.Combine("w.duckdb"));

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().NotContain("\u001b").And.Contain("evil\\n12:00:00 INF all good\\u001b[31m.jsonl");
        run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INF "), "each line is one event");
    }

    // Bug: the text log's times were the machine's local time, unmarked, while every other time llmlog writes (the JSON
    // log, the warehouse, the report) is UTC: a cron log on a server in Berlin and the runs table told two stories.
    // Bug: a log written to a file (cron's ">> ingest.log 2>&1") gave each line its time of day and no date, so the
    // lines of a file holding a month of nightly runs could be dated only by the runs around them.
    [Fact]
    public async Task ATextLogWrittenToAFileDatesEachLineInUtcWhateverTheMachinesZone()
    {
        using var dir = new TempFolder();
        var file = dir.File("calls.jsonl", Some.JsonLines([Some.Call()]));
        var before = DateTime.UtcNow;

        var run = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["TZ"] = "Pacific/Kiritimati" }),
            "ingest", file, "--db", dir.Combine("w.duckdb"));

        run.ExitCode.Should().Be(0, run.Stderr);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().OnlyContain(l => l.Length > 21 && l[20] == ' ', "each line starts with its instant: " + run.Stderr);
        var logged = DateTime.ParseExact(lines[0][..20], "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        (logged - before).Should().BeCloseTo(TimeSpan.Zero, TimeSpan.FromMinutes(10), $"'{lines[0]}' is UTC, not UTC+14");
    }

    // Bug: a log file whose name is not valid UTF-8 (here Latin-1's é, the byte E9) was reported as "removed or renamed
    // after the run began", and a folder so named was skipped without a word. .NET reads each such byte as U+FFFD and
    // cannot open the file by that name, so llmlog says that instead.
    [Fact]
    public async Task AFileOrFolderWhoseNameIsNotUtf8IsAnInputErrorThatSaysSo()
    {
        using var dir = new TempFolder();
        var calls = Some.Calls(3);
        dir.File("in/a.jsonl", Some.JsonLines(calls.Take(1)));
        dir.File("in/b.jsonl", Some.JsonLines(calls.Skip(1).Take(1)));
        dir.File("in/c.jsonl", Some.JsonLines(calls.Skip(2)));
        // .NET writes every name as UTF-8, so bash makes these: $'\xe9' is the single byte E9.
        using (var bash = Process.Start("bash", ["-c", "cd \"$1\" && mv in/b.jsonl in/caf$'\\xe9'.jsonl && mkdir in/sub$'\\xe9' && mv in/c.jsonl in/sub$'\\xe9'/", "bash", dir.Path])!)
        {
            await bash.WaitForExitAsync();
            bash.ExitCode.Should().Be(0, "the file system takes any byte but '/' and NUL in a name");
        }
        var file = dir.Combine("in/caf\uFFFD.jsonl");
        var inFolder = dir.Combine("in/sub\uFFFD/c.jsonl");

        LlmLogProcess.Result walked, named, namedInFolder;
        try
        {
            walked = await LlmLogProcess.RunAsync(dir.Path, "ingest", "in", "--db", dir.Combine("w.duckdb"));
            named = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", dir.Combine("w.duckdb"));
            namedInFolder = await LlmLogProcess.RunAsync(dir.Path, "ingest", inFolder, "--db", dir.Combine("w.duckdb"));
        }
        finally
        {
            // .NET cannot delete them either: the temporary folder would stay behind.
            using var rm = Process.Start("rm", ["-rf", "--", dir.Combine("in")]);
            await rm.WaitForExitAsync();
        }

        const string NotUtf8 = ": cannot be opened: its name is not valid UTF-8 (each \uFFFD stands for a byte that is not), and .NET, which llmlog runs on, cannot open a file or folder by such a name";
        walked.ExitCode.Should().Be((int)ExitCode.InputError, walked.Stderr);
        walked.Stderr.Should().Contain("in/caf\uFFFD.jsonl" + NotUtf8).And.Contain("in/sub\uFFFD" + NotUtf8).And.NotContain("removed or renamed");
        walked.Stdout.Should().StartWith("Ingested 3 files (2 with errors): read 1, loaded 1");
        named.ExitCode.Should().Be((int)ExitCode.InputError, named.Stderr);
        named.Stderr.Should().Contain(file + NotUtf8).And.NotContain("no such file");
        // It said "no such file or directory" of a file in a folder whose name is not UTF-8.
        namedInFolder.ExitCode.Should().Be((int)ExitCode.InputError, namedInFolder.Stderr);
        namedInFolder.Stderr.Should().Contain($"{inFolder}: cannot be opened: the name of its folder {dir.Combine("in/sub\uFFFD")} is not valid UTF-8")
            .And.NotContain("no such file");
    }

    // A DuckDB warehouse on a disk that filled up mid-ingest said "FATAL Error: Failed: database has been invalidated
    // because of a previous fatal error. The database must be restarted ..." and "Run the same command again once the
    // database is back": nothing said to free space, and the warehouse sounded broken (it was whole, and the same
    // command finished the work once there was space; found by probing a scheduled install).
    // With more records (and some bad ones) the disk fills while rows are appended, before the commit: disposing the
    // rejects' appender then failed with "Current transaction is aborted", which replaced the full disk in the message
    // (found by probing a small disk).
    [Theory]
    [InlineData("20000", "0")]
    [InlineData("300000", "0.01")]
    public async Task AWarehouseOnAFullDiskSaysTheDiskIsFullAndToFreeSpace(string records, string badRate)
    {
        using var dir = new TempFolder();
        var log = dir.Combine("calls.jsonl");
        (await LlmLogProcess.RunAsync(dir.Path, "generate", records, "--format", "jsonl", "--bad-rate", badRate, "--out", log)).ExitCode.Should().Be(0);
        var disk = Directory.CreateDirectory(dir.Combine("disk")).FullName;

        var run = await SmallDisk.RunAsync(dir.Path, disk, 10 * 1024, "ingest", log, "--db", Path.Combine(disk, "w.duckdb"));

        run.ExitCode.Should().Be((int)ExitCode.DatabaseError, run.Stderr);
        run.Stderr.Should().Contain("the disk that holds the warehouse is full").And.Contain("No space left on device")
            .And.Contain("free space there, then run the same command again")
            .And.NotContain("invalidated").And.NotContain("once the database is back").And.NotContain("transaction is aborted");
    }

    // A PostgreSQL server whose disk filled up mid-ingest gave its own "could not extend file ...: No space left on
    // device" and "Run the same command again once the database is back", as if the server were down: nothing said the
    // disk was full, and a scheduler's retry failed the same way until someone freed space.
    // The warehouse's tables on the small disk, or only the temporary tables a file is staged in: a file that holds
    // records already loaded is staged, then settled into the tables.
    [Theory]
    [InlineData("default_tablespace", "in a tablespace (oid ")]
    [InlineData("temp_tablespaces", "for temporary data (temp_tablespaces names where it goes")]
    public async Task APostgresServerWhoseDiskIsFullSaysSoAndTheSameCommandLoadsEverythingOnceThereIsSpace(string setting, string where)
    {
        using var server = PostgresServer.StartPrivateWithSmallDisk(8 * 1024);
        var target = new Npgsql.NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Pooling = false };
        await using (var admin = new Npgsql.NpgsqlConnection(target.ConnectionString))
        {
            await admin.OpenAsync();
            // The catalog and the server's write-ahead log stay where they were.
            await admin.ExecuteAsync($"CREATE TABLESPACE small_disk LOCATION '{server.SmallDiskFolder}'");
            await admin.ExecuteAsync($"ALTER DATABASE \"{target.Database}\" SET {setting} = small_disk");
        }
        using var dir = new TempFolder();
        var log = dir.Combine("calls.jsonl");
        (await LlmLogProcess.RunAsync(dir.Path, "generate", "5000", "--format", "jsonl", "--out", log)).ExitCode.Should().Be(0);
        var first = dir.File("first.jsonl", string.Join('\n', File.ReadLines(log).Take(2)) + "\n");
        var db = target.ConnectionString;
        (await LlmLogProcess.RunAsync(dir.Path, "ingest", first, "--db", db)).ExitCode.Should().Be(0);
        await using var filler = new Npgsql.NpgsqlConnection(target.ConnectionString);
        await filler.OpenAsync();
        await filler.ExecuteAsync("CREATE TABLE filler (n bigint) TABLESPACE small_disk");
        // Each batch commits: the disk is full to its last few pages once one fails.
        var full = false;
        for (var batch = 0; batch < 1000 && !full; batch++)
        {
            try
            {
                await filler.ExecuteAsync("INSERT INTO filler SELECT generate_series(1, 20000)");
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DiskFull)
            {
                full = true;
            }
        }
        full.Should().BeTrue("8 MB of rows fill the small disk");

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", log, "--db", db);

        run.ExitCode.Should().Be((int)ExitCode.DatabaseError, run.Stderr);
        run.Stderr.Should().Contain("not loaded, nothing of it was kept: the PostgreSQL server ran out of disk space " + where)
            .And.Contain("No space left on device").And.Contain("free space on the server (or ask its administrator to), then run the same command again")
            .And.NotContain("once the database is back");
        (await filler.ExecuteScalarAsync<long>("SELECT count(*) FROM calls")).Should().Be(2, "nothing of the file that failed is kept");

        await filler.ExecuteAsync("DROP TABLE filler");
        var again = await LlmLogProcess.RunAsync(dir.Path, "ingest", first, log, "--db", db);

        again.ExitCode.Should().Be(0, again.Stderr);
        again.Stdout.Should().Contain("(1 skipped as already loaded)").And.Contain("loaded 4,998, duplicates 2,");
        (await filler.ExecuteScalarAsync<long>("SELECT count(*) FROM calls")).Should().Be(5000, "every record is loaded once");
    }

    [Fact]
    public async Task AMistypedOptionIsAJsonLogLineAndAJsonResultWhenTheSchedulerAskedForJson()
    {
        // A usage error wrote plain lines into a JSON-lines log, and --json left stdout empty.
        using var dir = new TempFolder();
        var file = dir.File("calls.jsonl", Some.JsonLines([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--lock-timeout", "-1", "--log-format", "json", "--json", "--db", dir.Combine("w.duckdb"));

        run.ExitCode.Should().Be(2);
        var result = JsonNode.Parse(run.Stdout)!;
        ((int)result["exit_code"]!).Should().Be(2);
        ((string)result["message"]!).Should().Contain("--lock-timeout");
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().NotBeEmpty();
        foreach (var line in lines) ((string?)JsonNode.Parse(line)!["@l"]).Should().Be("Error", line);
    }

    [Fact]
    public async Task WithoutADatabaseOptionItLoadsIntoLlmlogDuckdbInTheCurrentFolder()
    {
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call(), Some.StreamedCall()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json");

        run.ExitCode.Should().Be(0, run.Stderr);
        File.Exists(dir.Combine("llmlog.duckdb")).Should().BeTrue();
        run.Stdout.Should().StartWith("Ingested 1 file: read 2, loaded 2, duplicates 0, rejected 0, flagged 1 → duckdb:");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ABadCopyOfALoadedCallIsNotSaidToBeKeptAsARejectWhileATrulyBadRecordIs(Engine engine)
    {
        // The warning "rejected: …; it is kept in the rejects table, fix it" was logged for a bad copy of a call the file had
        // just loaded, which the run then counted as a duplicate, keeping nothing (found by probing).
        using var w = await TestWarehouse.CreateAsync(engine);
        var (good, hot) = Some.CallAndItsRejectedVersion("call-7");
        var file = w.Files.File("a.jsonl", Some.JsonLines([good, hot, JsonNode.Parse("""{"id": "lonely", "model": "m"}""")]));

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("record 3 (line 3").And.NotContain("record 2 (line 2");
        run.Stderr.Should().Contain("loaded 1, duplicates 1, rejected 1");
    }

    // A forced re-read logged each bad record as "rejected: …; it is kept in the rejects table" and counted it as a
    // duplicate of the reject the first run kept; a dry run said so of records it kept nowhere (found by probing the docs).
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task OnlyABadRecordThisRunKeepsIsSaidToBeKeptAsAReject(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("a.jsonl", Some.JsonLines([Some.Call(), JsonNode.Parse("""{"id": "lonely", "model": "m"}""")]));
        var dryRun = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--dry-run", "--db", w.DbArgument);
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).Stderr.Should().Contain("record 2 (line 2").And.Contain("it is kept in the rejects table");

        var forced = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--force", "--db", w.DbArgument);

        dryRun.Stderr.Should().Contain("record 2 (line 2").And.Contain("an ingest would keep it in the rejects table").And.NotContain("it is kept");
        forced.ExitCode.Should().Be(0, forced.Stderr);
        forced.Stderr.Should().Contain("loaded 0, duplicates 2, rejected 0").And.NotContain("record 2 (line 2");
    }

    // Bug: a dry run of an export cut short said "Loaded 0, duplicates 0, rejected 0 (incl. the unreadable rest)" beside its
    // totals line's "invalid 1" (found by probing ingest).
    [Fact]
    public async Task ADryRunOfAFileCutShortCountsWhatItValidatedNotWhatItDidNotLoad()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("twice.json", $$"""{"data": [{{Some.Call()}}, {{Some.Call()}}], "data": [{{Some.Call()}}]}""");

        var dryRun = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--dry-run", "--db", w.DbArgument);

        dryRun.ExitCode.Should().Be(3, dryRun.Stderr);
        dryRun.Stderr.Should().Contain("Read 3, valid 2, invalid 1 (incl. the unreadable rest); nothing written (--dry-run)")
            .And.NotContain("Loaded 0");
        dryRun.Stdout.Should().Contain("read 3, valid 2, invalid 1");
    }

    // Found by review: the line that counts the rejects past the twentieth was held among the warnings and then dropped
    // as a reject this run did not keep; a dry run's said "every one is in the rejects table".
    [Fact]
    public async Task RejectsPastTheTwentiethAreCountedInOneLineThatADryRunDoesNotCallKept()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var bad = Enumerable.Range(0, 25).Select(i => JsonNode.Parse($$"""{"id": "bad-{{i}}", "model": "m"}"""));
        var file = w.Files.File("a.jsonl", Some.JsonLines([Some.Call(), .. bad]));

        var dryRun = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--dry-run", "--db", w.DbArgument);
        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);

        run.Stderr.Should().Contain("5 more rejected records not listed here; every one is in the rejects table");
        dryRun.Stderr.Should().Contain("5 more records failed validation, not listed here; an ingest would keep every one").And.NotContain("every one is in the rejects table");
    }

    // Bug: the line counted every record past the twentieth that failed validation, kept or not: a forced re-read of
    // rejects kept before said "5 more rejected records not listed here" and named none, with "rejected 0"; an appended
    // file's new rejects went unnamed, the listing spent on those already kept (found by probing re-runs).
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TheLineOfRejectsNotListedCountsOnlyThoseThisRunKeeps(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var bad = Enumerable.Range(0, 25).Select(i => JsonNode.Parse($$"""{"id": "bad-{{i}}", "model": "m"}"""));
        var file = w.Files.File("a.jsonl", Some.JsonLines([Some.Call(), .. bad]));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var forced = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--force", "--db", w.DbArgument);
        File.AppendAllText(file, Some.JsonLines(Enumerable.Range(0, 23).Select(i => JsonNode.Parse($$"""{"id": "new-{{i}}", "model": "m"}"""))));
        var appended = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);

        forced.Stderr.Should().Contain("rejected 0").And.NotContain("not listed here").And.NotContain("kept in the rejects table");
        // Records 1 to 26 were read before (the call and bad-0 to bad-24); the appended ones are 27 to 49.
        appended.Stderr.Should().Contain("rejected 23").And.Contain("3 more rejected records not listed here")
            .And.Contain("record 27 (line 27, byte").And.Contain("record 46 (line 46, byte").And.NotContain("record 47 (")
            .And.NotContain("record 26 (");
        Regex.Matches(appended.Stderr, @"record \d+ \(line").Should().HaveCount(20, "the log names twenty rejects: " + appended.Stderr);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task JsonOutputHasTotalsAndAPerFileList(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("export.json", Some.Export([Some.Call(), JsonNode.Parse("""{"model": "m"}""")]));

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--json", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        ((long)json["files"]!.AsArray().Count, (long)json["read"]!, (long)json["loaded"]!, (long)json["duplicates"]!, (long)json["rejected"]!, (long)json["flagged"]!)
            .Should().Be((1L, 2L, 1L, 0L, 1L, 0L));
        ((string)json["files"]![0]!["status"]!).Should().Be("succeeded");
        ((int)json["exit_code"]!).Should().Be(0);
    }

    // Bug: a copy of a loaded file under another name was skipped by its SHA-256 with a 'skipped' row in ingest_runs,
    // which 'llmlog runs --all' lists, but --json gave it run_id null, as if it had been passed over unread (found by
    // probing ingest). A file passed over unread as unchanged since its load adds no row, and keeps null.
    [Fact]
    public async Task JsonOutputGivesTheRowOfAFileSkippedBySha256AsItsRunId()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("f.jsonl", Some.JsonLines([Some.Call()]));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var copy = w.Files.Combine("f2.jsonl");
        File.Copy(file, copy);

        var skipped = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", copy, "--json", "--db", w.DbArgument);
        var unchanged = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--json", "--db", w.DbArgument);

        skipped.ExitCode.Should().Be(0, skipped.Stderr);
        var skippedFile = JsonNode.Parse(skipped.Stdout)!["files"]![0]!;
        ((string)skippedFile["status"]!).Should().Be("skipped");
        ((long?)skippedFile["run_id"]).Should().Be(2, "run 2 is its skipped row: " + skipped.Stdout);
        var unchangedFile = JsonNode.Parse(unchanged.Stdout)!["files"]![0]!;
        ((string)unchangedFile["status"]!).Should().Be("skipped");
        unchangedFile["run_id"].Should().BeNull("a file passed over unread adds no row");
        w.Query<string>("SELECT status FROM ingest_runs ORDER BY run_id").Should().Equal("succeeded", "skipped");
    }

    // It wrote "\u003Cstdin\u003E" and "caf\u00E9.jsonl": valid JSON, but not what a person reading the log or a grep
    // for the file looks for (found by probing the CLI).
    [Fact]
    public async Task JsonOutputWritesNamesAsTheyAreNotAsEscapes()
    {
        using var dir = new TempFolder();
        var file = dir.File("café.jsonl", Some.JsonLines([Some.Call()]));

        var named = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--json", "--db", "w.duckdb");
        var piped = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Stdin: Encoding.UTF8.GetBytes(Some.JsonLines([Some.Call("2024-12-19 10:00:00")]))),
            "ingest", "-", "--json", "--db", "w.duckdb");

        named.Stdout.Should().Contain("café.jsonl\"").And.NotContain("\\u");
        piped.Stdout.Should().Contain("\"<stdin>\"");
        JsonNode.Parse(named.Stdout)!["files"]![0]!["path"]!.GetValue<string>().Should().Be(file);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task EachRejectedRecordIsLoggedOnceWhenTheFileAlsoHoldsALoadedCall(Engine engine)
    {
        // On PostgreSQL the copy straight into calls is undone when a record is already loaded, and the file is read
        // again through staging: every reject warning was logged twice (found by probing the CLI).
        using var w = await TestWarehouse.CreateAsync(engine);
        var call = Some.Call();
        var first = w.Files.File("first.json", Some.Export([call]));
        var second = w.Files.File("second.json", Some.Export([call, JsonNode.Parse("""{"model": ""}""")]));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", first, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", second, "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Split('\n').Count(l => l.Contains("record 2 (line", StringComparison.Ordinal) && l.Contains("rejected:", StringComparison.Ordinal))
            .Should().Be(1, run.Stderr);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task RejectWarningsAreLoggedInRecordOrder(Engine engine)
    {
        // On DuckDB a reject without a call id (here a JSON array) was logged at once, while those with one were held
        // until the file settled: the log named record 3 before records 1 and 2 (found running the README's examples).
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("a.jsonl",
            "{\"id\": \"one\", \"model\": \"m\"}\n{\"id\": \"two\", \"model\": \"\"}\n[1, 2]\n" + Some.JsonLines([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        var named = run.Stderr.Split('\n').Where(l => l.Contains("rejected:", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(": record ", StringComparison.Ordinal) + 2)..l.IndexOf(" (line", StringComparison.Ordinal)]).ToList();
        named.Should().Equal(["record 1", "record 2", "record 3"], run.Stderr);
    }

    [Fact]
    public async Task WithJsonARunThatStopsEarlyStillPrintsAnObjectWithItsExitCodeAndMessage()
    {
        // --json printed nothing on stdout when the run stopped (a missing path, a lock held, a lost database),
        // so a scheduler parsing it got an empty document instead of the reason.
        using var dir = new TempFolder();

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "missing.jsonl", "--json", "--db", dir.Combine("w.duckdb"));

        run.ExitCode.Should().Be((int)ExitCode.InputError);
        var json = JsonNode.Parse(run.Stdout)!;
        ((int)json["exit_code"]!).Should().Be((int)ExitCode.InputError);
        ((string)json["message"]!).Should().Contain("missing.jsonl").And.Contain("no such file");
    }

    // --json printed nothing when --db could not be read; a blank LLMLOG_DB said "The value cannot be an empty string.
    // (Parameter 'path')", and an empty --db (an unset variable in a cron line) fell back to ./llmlog.duckdb.
    [Theory]
    [InlineData("postgresql:/etl:hunter2@db.example:5432/wh", null, "mistyped PostgreSQL URI")]
    [InlineData("host=db.example sslmode=verify-fool", null, "sslmode must be one of")]
    [InlineData("", null, "--db is empty")]
    [InlineData(null, "   ", "LLMLOG_DB")]
    public async Task WithJsonATargetThatCannotBeReadIsAUsageErrorPrintedAsAnObject(string? db, string? environment, string reason)
    {
        using var dir = new TempFolder();
        var file = dir.File("calls.jsonl", Some.JsonLines([Some.Call()]));
        var options = new LlmLogProcess.Options(Environment: environment is null ? null : new Dictionary<string, string> { ["LLMLOG_DB"] = environment });

        var run = await LlmLogProcess.RunAsync(dir.Path, options, ["ingest", file, "--json", .. db is null ? Array.Empty<string>() : ["--db", db]]);

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        ((int)json["exit_code"]!).Should().Be((int)ExitCode.Usage);
        ((string)json["message"]!).Should().Contain(reason).And.NotContain("hunter2");
        run.Stderr.Should().Contain(reason).And.NotContain("Parameter");
        Directory.GetFileSystemEntries(dir.Path).Should().Equal(file);
    }

    [Fact]
    public async Task AMissingFileExitsWithTheInputErrorCodeAndOneLineNamingIt()
    {
        using var dir = new TempFolder();

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "missing.json");

        run.ExitCode.Should().Be(3);
        run.Stderr.Should().Contain("missing.json: no such file or directory").And.NotContain("   at ");
    }

    // It said "Ingested 0 files: ... → duckdb:/.../w.duckdb", naming a database it had not created (found by the docs audit).
    [Fact]
    public async Task AFolderWithoutLogFilesIsAnInputErrorThatNamesNoDatabaseAndCreatesNone()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.Combine("empty"));
        dir.File("empty/notes.txt", "not a log");

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "empty", "--db", "w.duckdb");

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        run.Stdout.Should().Be("Ingested 0 files: nothing was read or written\n");
        run.Stderr.Should().Contain("no log files found");
        File.Exists(dir.Combine("w.duckdb")).Should().BeFalse();
    }

    // Beside another input, a folder without log files was passed over without a word (found by probing ingest).
    [Fact]
    public async Task AFolderWithoutLogFilesBesideAFileIsWarnedOfAndTheFileLoads()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.Combine("landing"));
        dir.File("landing/notes.txt", "not a log");
        var file = dir.File("calls.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "landing", "--db", "w.duckdb");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("landing holds no log files (looked below it for *.json, *.jsonl, *.ndjson and *.gz, and logs rotated without compression such as *.jsonl.1); nothing was read from it");
        run.Stdout.Should().Contain("loaded 1,");
    }

    [Fact]
    public async Task ADryRunCountsWhatARealRunWouldLoadAndFlag()
    {
        // It said "loaded 0, flagged 0" where the real run loads 967 and flags 299.
        using var dir = new TempFolder();
        var sample = GeneratedRecords.RepositoryFile("data/sample-export.json");

        var dry = await LlmLogProcess.RunAsync(dir.Path, "ingest", sample, "--dry-run");
        var real = await LlmLogProcess.RunAsync(dir.Path, "ingest", sample, "--db", dir.Combine("w.duckdb"));

        dry.ExitCode.Should().Be(0, dry.Stderr);
        dry.Stdout.Should().Contain("read 1,000, valid 967, invalid 33, flagged 303; nothing written (--dry-run)");
        real.Stdout.Should().Contain("read 1,000, loaded 967, duplicates 0, rejected 33, flagged 303");
        // The log line of the file groups its counts as the summary does; it said "read 1000".
        dry.Stderr.Should().Contain("sample-export.json: read 1,000, valid 967, invalid 33, flagged 303 in ");
        real.Stderr.Should().Contain("sample-export.json: read 1,000, loaded 967, duplicates 0, rejected 33, flagged 303 in ");
    }

    [Fact]
    public async Task DevStdinNamedAsAPathIsReadOnceLikeADash()
    {
        // /dev/stdin is a pipe here, as under cron or a shell pipeline; a hash pass read it empty before loading.
        using var dir = new TempFolder();
        var stdin = Encoding.UTF8.GetBytes(Some.JsonLines(Some.Calls(3)));

        var run = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(stdin), "ingest", "/dev/stdin", "--db", dir.Combine("w.duckdb"), "--json");

        run.ExitCode.Should().Be(0, run.Stderr);
        var file = JsonNode.Parse(run.Stdout)!["files"]![0]!;
        ((string)file["status"]!, (long)file["loaded"]!).Should().Be(("succeeded", 3L));
    }

    [Fact]
    public async Task AFifoNamedAsAPathIsReadOnceAsItsWriterWritesIt()
    {
        using var dir = new TempFolder();
        var fifo = dir.Fifo("calls.jsonl");
        var bytes = Encoding.UTF8.GetBytes(Some.JsonLines(Some.Calls(200)));

        using var process = LlmLogProcess.Start(dir.Path, "ingest", fifo, "--db", dir.Combine("w.duckdb"), "--json");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        // Opening a FIFO to write waits for its reader; a second open by llmlog would wait for a writer for ever.
        var writer = Task.Run(() => File.WriteAllBytes(fifo, bytes));
        var exited = process.WaitForExit(TimeSpan.FromSeconds(90));
        if (!exited) process.Kill(entireProcessTree: true);
        if (!writer.IsCompleted)
        {
            // llmlog never opened it: let the writer through so that no thread waits on the FIFO after the test.
            using (new FileStream(fifo, FileMode.Open, FileAccess.Read)) { }
        }
        await writer.ContinueWith(_ => { }, TaskScheduler.Default);

        exited.Should().BeTrue("llmlog must read a FIFO once and finish, not open it a second time: " + await stderr);
        process.ExitCode.Should().Be(0, await stderr);
        var file = JsonNode.Parse(await stdout)!["files"]![0]!;
        ((string)file["status"]!, (long)file["loaded"]!).Should().Be(("succeeded", 200L));
    }

    // A role or database statement_timeout said only "canceling statement due to statement timeout" and "Run the same
    // command again once the database is back", which failed the same way every time (found by probing scheduled runs).
    [Fact]
    public async Task AnIngestPastTheServersStatementTimeoutSaysWhichSettingToRaise()
    {
        var target = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.Shared.CreateDatabaseAsync()) { Pooling = false };
        using var dir = new TempFolder();
        var log = dir.Combine("calls.jsonl");
        (await LlmLogProcess.RunAsync(dir.Path, "generate", "100000", "--format", "jsonl", "--out", log)).ExitCode.Should().Be(0);
        // The warehouse is made first, so that the limit meets the load, not the migrations. The load's COPY takes a second
        // or more; the opening's statements a millisecond each, and on a busy machine more than the 20 ms this test once
        // set, which failed the opening instead of the load.
        (await LlmLogProcess.RunAsync(dir.Path, "transform", "--db", target.ConnectionString, "--prices", GeneratedRecords.RepositoryFile("data/model-prices.csv"))).ExitCode.Should().Be(0);
        await PostgresServer.SetForDatabaseAsync(target.ConnectionString, "statement_timeout = '300ms'");

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", log, "--db", target.ConnectionString);

        run.ExitCode.Should().Be((int)ExitCode.DatabaseError, run.Stderr);
        run.Stderr.Should().Contain("ran longer than the PostgreSQL server's statement_timeout").And.Contain("PGOPTIONS='-c statement_timeout=0'")
            .And.Contain("then run the same command again").And.NotContain("once the database is back");
        var again = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["PGOPTIONS"] = "-c statement_timeout=0" }),
            "ingest", log, "--db", target.ConnectionString);
        again.ExitCode.Should().Be(0, "the setting the message names lets the load through: " + again.Stderr);
    }

    // Bug: the server's lock_timeout ending a wait for another session's lock said "canceling statement due to lock
    // timeout" and "run the same command again once the database is back", of a database that was never down (found by
    // probing PostgreSQL operations).
    [Fact]
    public async Task AnIngestPastTheServersLockTimeoutSaysAnotherSessionHoldsALock()
    {
        using var dir = new TempFolder();
        var log = dir.File("calls.jsonl", Some.JsonLines(Some.Calls(5, days: 2)));
        await using var locked = await WarehouseWithALockHeldAsync(dir, "LOCK TABLE calls IN SHARE MODE");
        var target = locked.Target;

        var run = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["PGOPTIONS"] = "-c lock_timeout=500" }),
            "ingest", log, "--db", target.ConnectionString);

        run.ExitCode.Should().Be((int)ExitCode.DatabaseError, run.Stderr);
        run.Stderr.Should().Contain("waited longer than --lock-timeout allows").And.Contain("another session holds")
            .And.Contain("then run the same command again").And.NotContain("once the database is back");
    }

    // Bug: --lock-timeout bounded only the wait for another llmlog run: a lock another session held on a table (a VACUUM
    // FULL, an ALTER TABLE, a transaction left open) held ingest, summary and export for ever, without a word (found by
    // probing PostgreSQL operations).
    [Theory]
    [InlineData("ingest")]
    [InlineData("summary")]
    [InlineData("export")]
    public async Task ALockAnotherSessionHoldsStopsTheRunAtTheLockTimeout(string command)
    {
        using var dir = new TempFolder();
        var log = dir.File("calls.jsonl", Some.JsonLines(Some.Calls(5, days: 2)));
        await using var locked = await WarehouseWithALockHeldAsync(dir, "LOCK TABLE calls, daily_llm_metrics IN ACCESS EXCLUSIVE MODE");
        var target = locked.Target;
        string[] args = command switch
        {
            "ingest" => ["ingest", log],
            "summary" => ["summary"],
            _ => ["export", "--table", "daily", "--out", dir.Combine("daily.csv")],
        };

        var running = LlmLogProcess.RunAsync(dir.Path, [.. args, "--db", target.ConnectionString, "--lock-timeout", "2"]);
        var ended = await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(90))) == running;
        await locked.ReleaseAsync();
        var run = await running;

        ended.Should().BeTrue("the run stops once it has waited --lock-timeout for the lock; it waited on: " + run.Stderr);
        run.ExitCode.Should().Be((int)ExitCode.DatabaseError, run.Stderr);
        run.Stderr.Should().Contain("waited longer than --lock-timeout allows").And.Contain("another session holds");
    }

    // Bug: a report or export whose server ended its session mid-run (a restart, a shutdown, pg_terminate_backend) said
    // only "terminating connection due to administrator command", where ingest says to run it again once the server is
    // back (found by probing PostgreSQL operations).
    [Theory]
    [InlineData("summary")]
    [InlineData("export")]
    [InlineData("report")]
    public async Task ARunWhoseSessionTheServerEndsSaysToRunItAgainOnceTheServerIsBack(string command)
    {
        using var dir = new TempFolder();
        await using var locked = await WarehouseWithALockHeldAsync(dir, "LOCK TABLE calls, daily_llm_metrics IN ACCESS EXCLUSIVE MODE");
        var target = locked.Target;
        string[] args = command switch
        {
            "summary" => ["summary"],
            "export" => ["export", "--table", "daily", "--out", dir.Combine("daily.csv")],
            _ => ["report", "--out", dir.Combine("report.html")],
        };

        // The run waits for the lock; the holder's session then ends the run's, as an administrator or a shutdown would.
        var running = LlmLogProcess.RunAsync(dir.Path, [.. args, "--db", target.ConnectionString, "--lock-timeout", "120"]);
        await using (var admin = new Npgsql.NpgsqlConnection(target.ConnectionString))
        {
            await admin.OpenAsync();
            var ended = 0;
            for (var i = 0; i < 600 && ended == 0 && !running.IsCompleted; i++)
            {
                ended = await admin.ExecuteScalarAsync<int>(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
                if (ended == 0) await Task.Delay(100);
            }
        }
        var run = await running;

        run.ExitCode.Should().Be((int)ExitCode.DatabaseError, run.Stderr);
        run.Stderr.Should().Contain("the PostgreSQL server ended the session").And.Contain("run the same command again once the server is back");
    }

    // Bug: under a file size limit (ulimit -f, systemd's LimitFSIZE) the DuckDB write-ahead log's write past it killed
    // llmlog with SIGXFSZ: exit 153 and not a word in a cron log (found by probing a schedule).
    [Fact]
    public async Task AnIngestPastTheFileSizeLimitSaysSoAndLeavesTheWarehouseToTheNextRun()
    {
        using var dir = new TempFolder();
        var log = dir.File("calls.jsonl", Some.JsonLines(Some.Calls(2_000, days: 3)));
        var db = dir.Combine("w.duckdb");

        var (exit, stderr) = await LlmLogProcess.RunWithFileSizeLimitAsync(dir.Path, "ingest", log, "--db", db);
        var again = await LlmLogProcess.RunAsync(dir.Path, "ingest", log, "--db", db);

        exit.Should().Be((int)ExitCode.DatabaseError, stderr);
        stderr.Should().Contain("reached the file size limit").And.Contain("nothing of it was kept");
        again.ExitCode.Should().Be(0, again.Stderr);
        again.Stderr.Should().Contain("loaded 2,000");
    }

    // A PostgreSQL warehouse with calls in it, and another session that holds a lock on its tables (taken by
    // lockStatement) in a transaction it leaves open until released or disposed.
    private static async Task<HeldLock> WarehouseWithALockHeldAsync(TempFolder dir, string lockStatement)
    {
        var target = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.Shared.CreateDatabaseAsync()) { Pooling = false };
        var first = dir.File("first.jsonl", Some.JsonLines(Some.Calls(3, days: 1)));
        (await LlmLogProcess.RunAsync(dir.Path, "ingest", first, "--db", target.ConnectionString)).ExitCode.Should().Be(0);
        var holder = new Npgsql.NpgsqlConnection(target.ConnectionString);
        await holder.OpenAsync();
        var held = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync(lockStatement, transaction: held);
        return new HeldLock(target, holder, held);
    }

    private sealed class HeldLock(Npgsql.NpgsqlConnectionStringBuilder target, Npgsql.NpgsqlConnection holder, Npgsql.NpgsqlTransaction held) : IAsyncDisposable
    {
        public Npgsql.NpgsqlConnectionStringBuilder Target => target;

        public Task ReleaseAsync() => held.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await held.DisposeAsync();
            await holder.DisposeAsync();
        }
    }

    // A new warehouse in a database whose sessions are read-only was told that PostgreSQL 15 lets only the owner create
    // in public, and to create a schema, which changes nothing (found by probing scheduled runs).
    [Fact]
    public async Task ANewWarehouseInAReadOnlyDatabaseIsToldTheSessionIsReadOnly()
    {
        var target = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.Shared.CreateDatabaseAsync()) { Pooling = false };
        await PostgresServer.SetForDatabaseAsync(target.ConnectionString, "default_transaction_read_only = on");
        using var dir = new TempFolder();
        var file = dir.File("calls.jsonl", Some.JsonLines(Some.Calls(5)));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", target.ConnectionString);
        var again = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["PGOPTIONS"] = "-c default_transaction_read_only=off" }),
            "ingest", file, "--db", target.ConnectionString);

        run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
        run.Stderr.Should().Contain("creating llmlog's warehouse needs to write, and the session is read-only").And.NotContain("PostgreSQL 15");
        again.ExitCode.Should().Be(0, "the setting the message names lets the run through: " + again.Stderr);
    }

    // Started with standard input closed (<&-), 'ingest -' read a pipe the .NET runtime had opened for itself in its place,
    // and waited for ever (found by probing scheduled runs); --prices - too.
    [Theory]
    [InlineData("ingest", "-", "'-' reads standard input, but the command was started with standard input closed")]
    [InlineData("transform", "--prices -", "--prices - reads standard input, but the command was started with standard input closed")]
    [InlineData("ingest", "/dev/stdin", "/dev/stdin is standard input, but the command was started with standard input closed")]
    [InlineData("ingest", "- <.", "cannot be read: Is a directory")] // a folder as standard input was an internal error
    public async Task StandardInputClosedAtTheStartIsAnInputErrorNotAWaitForEver(string command, string input, string says)
    {
        using var dir = new TempFolder();
        var info = new ProcessStartInfo("bash") { WorkingDirectory = dir.Path, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var closed = input.Contains('<', StringComparison.Ordinal) ? "" : " <&-";
        foreach (var a in new[] { "-c", $"exec dotnet \"$0\" {command} --db w.duckdb {input}{closed}", LlmLogProcess.Executable }) info.ArgumentList.Add(a);
        info.Environment.Remove("LLMLOG_DB");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();

        var exited = process.WaitForExit(TimeSpan.FromSeconds(60));
        if (!exited) process.Kill(entireProcessTree: true);

        exited.Should().BeTrue("a closed standard input must not be waited on");
        process.ExitCode.Should().Be((int)ExitCode.InputError, await stderr);
        (await stderr).Should().Contain(says);
        await stdout;
    }

    // '/dev/stdin /dev/fd/0' read one pipe twice, the second time empty, exit 3: realpath cannot resolve a pipe's names,
    // so they were two inputs (found by probing the input shapes).
    [Fact]
    public async Task TwoFileNamesOfAPipedStandardInputAreOneInput()
    {
        using var dir = new TempFolder();
        var piped = new LlmLogProcess.Options(Stdin: Encoding.UTF8.GetBytes(Some.JsonLines(Some.Calls(3))));

        var run = await LlmLogProcess.RunAsync(dir.Path, piped, "ingest", "/dev/stdin", "/dev/fd/0", "--json", "--db", "w.duckdb");

        run.ExitCode.Should().Be(0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        (json["files"]!.AsArray().Count, (long)json["loaded"]!).Should().Be((1, 3L));
    }

    [Fact]
    public async Task AFifoInsideAFolderIsPassedOverWithAWarningAndTheFilesBesideItLoad()
    {
        // It blocked the run until something wrote to the FIFO: from cron, for ever (found by probing ingest).
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.Combine("landing"));
        dir.File("landing/a.jsonl", Some.JsonLines(Some.Calls(3)));
        dir.Fifo("landing/b.jsonl");

        using var process = LlmLogProcess.Start(dir.Path, "ingest", "landing", "--db", dir.Combine("w.duckdb"));
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        var exited = process.WaitForExit(TimeSpan.FromSeconds(90));
        if (!exited) process.Kill(entireProcessTree: true);

        exited.Should().BeTrue("a FIFO in a folder must not hold the run up: " + await stderr);
        process.ExitCode.Should().Be(0, await stderr);
        (await stderr).Should().Contain("b.jsonl is a named pipe or a device, not a file; it was not read");
        (await stdout).Should().Contain("loaded 3,");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AnUnreadableFolderInsideAnInputFolderIsAnInputErrorNamingItWhileTheOtherFilesLoad()
    {
        // It crashed the whole run with exit 1 ("Internal error", UnauthorizedAccessException) before loading anything.
        using var dir = new TempFolder();
        var calls = Some.Calls(3);
        dir.File("in/a.jsonl", Some.JsonLines(calls.Take(1)));
        dir.File("in/secret/b.jsonl", Some.JsonLines(calls.Skip(1).Take(1)));
        dir.File("in/z.jsonl", Some.JsonLines(calls.Skip(2)));
        var secret = dir.Combine("in/secret");
        // Root lists any folder whatever its mode, so as root (as on CI) llmlog runs as nobody, whom mode 000 stops.
        string? user = null;
        if (Environment.IsPrivilegedProcess)
        {
            user = "nobody";
            foreach (var folder in new[] { dir.Path, dir.Combine("in") }) File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
            foreach (var file in new[] { "in/a.jsonl", "in/z.jsonl" }) File.SetUnixFileMode(dir.Combine(file), (UnixFileMode)0b110_110_110);
        }
        File.SetUnixFileMode(secret, UnixFileMode.None);
        LlmLogProcess.Result run;
        try
        {
            run = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(User: user), "ingest", dir.Combine("in"), "--db", dir.Combine("w.duckdb"), "--json");
        }
        finally
        {
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        run.Stderr.Should().NotContain("   at ");
        run.Stderr.Split('\n').Should().Contain(l => l.Contains($"{secret}: permission denied; llmlog needs read access to the folder", StringComparison.Ordinal), run.Stderr);
        var files = JsonNode.Parse(run.Stdout)!["files"]!.AsArray();
        files.Select(f => ((string)f!["path"]!, (string)f["status"]!)).Should().Equal(
            (dir.Combine("in/a.jsonl"), "succeeded"), (secret, "failed"), (dir.Combine("in/z.jsonl"), "succeeded"));
        ((long)JsonNode.Parse(run.Stdout)!["loaded"]!).Should().Be(2);
    }

    // Bug: a file llmlog could not read (no permission) has no SHA-256, so the run that read it once its mode was fixed
    // never completed the failed run, and the report said for ever that its records were missing (found by probing a
    // schedule). Its size and modification time, as the skip of an unchanged file takes them, say it is the same file;
    // a file written anew meanwhile completes nothing.
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AFileThatCouldNotBeReadIsCompletedByTheRunThatReadsItOnceItMay()
    {
        using var dir = new TempFolder();
        var calls = Some.Calls(4, days: 1).ToList();
        var fixedInPlace = dir.File("in/b.jsonl", Some.JsonLines(calls.Take(2)));
        var writtenAnew = dir.File("in/c.jsonl", Some.JsonLines(calls.Skip(2)));
        string? user = null;
        if (Environment.IsPrivilegedProcess)
        {
            // Root reads any file whatever its mode, so as root (as on CI) llmlog runs as nobody, whom mode 000 stops.
            user = "nobody";
            foreach (var folder in new[] { dir.Path, dir.Combine("in") }) File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }
        foreach (var file in new[] { fixedInPlace, writtenAnew }) File.SetUnixFileMode(file, UnixFileMode.None);
        var db = dir.Combine("w.duckdb");
        var first = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(User: user), "ingest", dir.Combine("in"), "--db", db);
        first.ExitCode.Should().Be((int)ExitCode.InputError, first.Stderr);

        foreach (var file in new[] { fixedInPlace, writtenAnew }) File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);
        File.SetLastWriteTimeUtc(writtenAnew, File.GetLastWriteTimeUtc(writtenAnew).AddMinutes(5));
        var second = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(User: user), "ingest", dir.Combine("in"), "--db", db);
        second.ExitCode.Should().Be(0, second.Stderr);
        second.Stderr.Should().Contain($"{fixedInPlace}: read whole now; run 1 could not open it");

        var failed = (await RunsTableAsync(dir, db)).Where(r => r["status"] == "failed").ToDictionary(r => r["file_path"], r => r["completed_by_run"]);
        failed.Should().HaveCount(2);
        failed[fixedInPlace].Should().NotBeEmpty("the same file, unchanged, was read whole");
        failed[writtenAnew].Should().BeEmpty("the file was written anew before it could be read");
    }

    // Bug: a file that could not be opened, whose bytes had been loaded before (under another modification time), was
    // skipped as loaded once it could be read, and the skip completed nothing: the failed run stayed listed as missing
    // records (found by review).
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AFileThatCouldNotBeReadIsCompletedWhenItsBytesAreFoundLoadedBefore()
    {
        using var dir = new TempFolder();
        var file = dir.File("in/s.jsonl", Some.JsonLines(Some.Calls(2, days: 1)));
        var db = dir.Combine("w.duckdb");
        string? user = null;
        if (Environment.IsPrivilegedProcess)
        {
            user = "nobody";
            foreach (var folder in new[] { dir.Path, dir.Combine("in") }) File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
            File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);
        }
        var options = new LlmLogProcess.Options(User: user);
        (await LlmLogProcess.RunAsync(dir.Path, options, "ingest", file, "--db", db)).ExitCode.Should().Be(0);
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddDays(-30));
        File.SetUnixFileMode(file, UnixFileMode.None);
        (await LlmLogProcess.RunAsync(dir.Path, options, "ingest", file, "--db", db)).ExitCode.Should().Be((int)ExitCode.InputError);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);

        var third = await LlmLogProcess.RunAsync(dir.Path, options, "ingest", file, "--db", db);

        third.ExitCode.Should().Be(0, third.Stderr);
        third.Stderr.Should().Contain("already loaded by run 1").And.Contain("run 2 could not open it");
        (await RunsTableAsync(dir, db)).Single(r => r["status"] == "failed")["completed_by_run"].Should().Be("3");
    }

    // The warehouse's runs as `export --table runs` writes them, one dictionary of column to value per run.
    private static async Task<List<Dictionary<string, string>>> RunsTableAsync(TempFolder dir, string db)
    {
        var runs = await LlmLogProcess.RunAsync(dir.Path, "export", "--table", "runs", "--out", "-", "--db", db);
        runs.ExitCode.Should().Be(0, runs.Stderr);
        using var csv = new CsvHelper.CsvReader(new StringReader(runs.Stdout), System.Globalization.CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(csv.HeaderRecord!.ToDictionary(column => column, column => csv.GetField(column) ?? ""));
        return rows;
    }

    [Fact]
    public async Task AnUnknownOptionIsAUsageError()
    {
        using var dir = new TempFolder();

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "x.json", "--max-reject-rate", "7");

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("--max-reject-rate must be a number between 0 and 1");
    }

    [Fact]
    public async Task HelpExplainsTheCommandAndListsTheExitCodes()
    {
        using var dir = new TempFolder();

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "--help");

        run.ExitCode.Should().Be(0);
        run.Stdout.Should().Contain("--dry-run").And.Contain("--max-reject-rate").And.Contain("--force")
            .And.Contain("Exit codes:").And.Contain("5  reject rate above --max-reject-rate");
    }

    [Fact]
    public async Task APasswordInTheConnectionStringNeverAppearsInTheOutput()
    {
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call()]));

        var uri = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", "postgresql://alice:s3cr3t-pw@127.0.0.1:1/warehouse", "--json");
        var keywords = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", "Host=127.0.0.1;Port=1;Username=alice;Password=s3cr3t-pw;Database=w");

        foreach (var run in new[] { uri, keywords })
        {
            run.ExitCode.Should().Be((int)ExitCode.Unreachable);
            (run.Stdout + run.Stderr).Should().NotContain("s3cr3t-pw").And.Contain("no PostgreSQL server answers there");
        }
    }

    // It exited 4, "rerunning is safe": a scheduler retried a setting that can only fail again.
    [Fact]
    public async Task RequiringSslOfAServerWithoutItIsAUsageErrorThatSaysSo()
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer.Shared.AdminConnectionString);
        using (var admin = new Npgsql.NpgsqlConnection(PostgresServer.Shared.AdminConnectionString))
        {
            admin.Open();
            using var ssl = new Npgsql.NpgsqlCommand("SHOW ssl", admin);
            ((string)ssl.ExecuteScalar()!).Should().Be("off", "the suite's server offers no SSL");
        }
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db",
            $"host={server.Host} port={server.Port} user={server.Username} dbname=postgres sslmode=require");

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain("does not accept SSL").And.Contain("sslmode");
    }

    // "--db dbname=wh" was exit 2 asking for host=... where "psql -d wh" connects through PGHOST and PGPORT.
    [Theory]
    [InlineData("dbname={0}")]
    [InlineData("postgresql:///{0}")]
    public async Task ATargetWithoutAHostReachesTheServerThatPgHostAndPgPortName(string form)
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.Shared.CreateDatabaseAsync());
        // The local cluster's socket folder, as psql users set it; a server of LLMLOG_TEST_PG is reached by its host.
        var host = PostgresServer.Shared.SocketFolder ?? database.Host!;
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = host,
            ["PGPORT"] = database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Read by Npgsql itself, as by libpq.
            ["PGUSER"] = database.Username!,
            ["PGPASSWORD"] = database.Password ?? "",
        };
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call(), Some.StreamedCall()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: environment), "ingest", "export.json", "--db", string.Format(System.Globalization.CultureInfo.InvariantCulture, form, database.Database));

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("loaded 2,").And.Contain($"→ postgresql://{(host.StartsWith('/') ? Uri.EscapeDataString(host) : host)}:{database.Port}/{database.Database} ");
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM calls", connection);
        ((long)(await count.ExecuteScalarAsync())!).Should().Be(2);
    }

    // A target for a primary and its standby, as libpq writes it: the first host that answers is used.
    [Fact]
    public async Task ATargetWithSeveralHostsAndPortsIsServedByTheFirstHostThatAnswers()
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.Shared.CreateDatabaseAsync());
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call()]));
        // Nothing listens on port 1: the first host refuses, as a primary that is down does.
        var db = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"host={database.Host},{database.Host} port=1,{database.Port} user={database.Username} dbname={database.Database} target_session_attrs=read-write");

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", db);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("loaded 1,").And.Contain($"→ postgresql://{database.Username}@{database.Host}:1,{database.Host}:{database.Port}/{database.Database} ");
    }

    // Each was exit 4 with Npgsql's "Unable to connect to a suitable host. Check inner exception for more details.".
    [Fact]
    public async Task WhenNoHostOfTheListWouldDoTheRunSaysWhatEachDidWithTheCodeOfTheCause()
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.Shared.CreateDatabaseAsync());
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call()]));
        string Target(string dbname, string attrs) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"host={database.Host},{database.Host} port=1,{database.Port} user={database.Username} dbname={dbname} {attrs}");

        // The suite's server is a primary: no host of the list is a standby.
        var noStandby = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", Target(database.Database!, "target_session_attrs=standby"));
        var noDatabase = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", Target("no_such_db", ""));

        noStandby.ExitCode.Should().Be((int)ExitCode.Unreachable, noStandby.Stderr);
        noStandby.Stderr.Should().Contain($"no host would do: Failed to connect to {database.Host}:1 (ConnectionRefused); the other host answered but is not a standby server (target_session_attrs)");
        noDatabase.ExitCode.Should().Be((int)ExitCode.DatabaseMissing, noDatabase.Stderr);
        noDatabase.Stderr.Should().Contain("the database does not exist");
    }

    // A host name that does not exist was exit 8, "retry later": a scheduler retried a setting that can only fail again.
    [Fact]
    public async Task AHostNameThatDoesNotExistIsAUsageErrorThatNamesItAlsoInAListOfHosts()
    {
        // No name under .invalid exists (RFC 2606). A machine whose resolver cannot be reached cannot tell that from an
        // outage (it says TryAgain), and there the same names are rightly exit 8: the test expects what the resolver said.
        const string Host = "no-such-warehouse.invalid";
        var answer = SocketError.Success;
        try
        {
            await System.Net.Dns.GetHostAddressesAsync(Host);
        }
        catch (SocketException e)
        {
            answer = e.SocketErrorCode;
        }
        answer.Should().BeOneOf([SocketError.HostNotFound, SocketError.TryAgain], "a name under .invalid never resolves");
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call()]));

        var one = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", $"host={Host} user=postgres dbname=w");
        var list = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", $"host={Host},standby.{Host} user=postgres dbname=w");

        if (answer == SocketError.HostNotFound)
        {
            one.ExitCode.Should().Be((int)ExitCode.Usage, one.Stderr);
            one.Stderr.Should().Contain($"there is no host named {Host} (DNS says no such name: HostNotFound); fix the host in --db, LLMLOG_DB or PGHOST")
                .And.NotContain("retry later").And.NotContain("is it running");
            list.ExitCode.Should().Be((int)ExitCode.Usage, list.Stderr);
            list.Stderr.Should().Contain($"there is no host of any of the names {Host}, standby.{Host} (DNS says no such name: HostNotFound); fix the hosts in --db, LLMLOG_DB or PGHOST")
                .And.NotContain("retry later");
        }
        else
        {
            one.ExitCode.Should().Be((int)ExitCode.Unreachable, one.Stderr);
            list.ExitCode.Should().Be((int)ExitCode.Unreachable, list.Stderr);
            list.Stderr.Should().Contain("retry later");
        }
    }

    // One name of the list exists: its server may come back (a standby promoted), so a retry is still worth it.
    [Fact]
    public async Task AListOfHostsWithOneThatExistsButDoesNotAnswerIsStillWorthARetry()
    {
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", "host=no-such-warehouse.invalid,127.0.0.1 port=5432,1 user=postgres dbname=w");

        run.ExitCode.Should().Be((int)ExitCode.Unreachable, run.Stderr);
        run.Stderr.Should().Contain("no host would do").And.Contain("(ConnectionRefused)").And.Contain("retry later");
    }

    [Fact]
    public async Task AWrongDatabaseNameSaysSoWithTheDatabaseErrorCode()
    {
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer.Shared.AdminConnectionString) { Database = "no_such_db", Password = "pw-not-shown" };
        using var dir = new TempFolder();
        dir.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", "export.json", "--db", admin.ConnectionString);

        run.ExitCode.Should().Be((int)ExitCode.DatabaseMissing);
        run.Stderr.Should().Contain("the database does not exist").And.NotContain("pw-not-shown");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task OverlappingIngestProcessesNeverDuplicateRows(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var a = w.Files.File("a.jsonl", Some.JsonLines(Some.Calls(3000, days: 5)));
        var shared = Some.Calls(2000, days: 5);
        var b = w.Files.File("b.jsonl", Some.JsonLines(shared));
        var c = w.Files.File("c.json", Some.Export(shared.Select(n => JsonNode.Parse(n!.ToJsonString())).Concat(Some.Calls(1000, days: 5))));

        var runs = await Task.WhenAll(
            LlmLogProcess.RunAsync(w.Files.Path, "ingest", a, b, "--db", w.DbArgument, "--json"),
            LlmLogProcess.RunAsync(w.Files.Path, "ingest", b, c, "--db", w.DbArgument, "--json"),
            LlmLogProcess.RunAsync(w.Files.Path, "ingest", c, a, "--db", w.DbArgument, "--json"));

        runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", runs.Select(r => r.Stderr)));
        runs.Sum(r => (long)JsonNode.Parse(r.Stdout)!["loaded"]!).Should().Be(6000);
        w.Scalar<long>("SELECT count(*) FROM calls").Should().Be(6000);
        w.Scalar<long>("SELECT count(DISTINCT record_id) FROM calls").Should().Be(6000);
    }
}
