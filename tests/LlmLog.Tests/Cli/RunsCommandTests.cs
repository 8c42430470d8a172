using LlmLog.Cli;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Cli;

/// <summary><c>llmlog runs</c> and <c>llmlog runs resolve</c> as a person at a terminal uses them, through the built binary.</summary>
public sealed class RunsCommandTests
{
    [Fact]
    public async Task ACutRunIsListedThenResolvedWithANoteThatTheRunsExportCarries()
    {
        using var dir = new TempFolder();
        var whole = Some.JsonLines(Some.Calls(5, days: 1));
        dir.File("app.jsonl", whole[..(whole.Length - 25)]);
        var db = dir.Combine("w.duckdb");
        (await LlmLogProcess.RunAsync(dir.Path, "ingest", "app.jsonl", "--db", db)).ExitCode.Should().Be(3);

        var open = await LlmLogProcess.RunAsync(dir.Path, "runs", "--db", db);
        open.ExitCode.Should().Be(0, open.Stderr);
        (await LlmLogProcess.RunAsync(dir.Path, "runs", "--all", "--exit-code", "--db", db)).ExitCode.Should().Be(3, "a monitoring job fails while a run is open");
        open.Stdout.Should().StartWith("1 open run in duckdb:").And.Contain("partial").And.Contain("app.jsonl")
            .And.Contain("is cut off", "the reason is under the run").And.Contain("llmlog runs resolve RUN_ID --note");

        var resolve = await LlmLogProcess.RunAsync(dir.Path, "runs", "resolve", "1", "--note", "rest sent again as app-2.jsonl", "--db", db);
        resolve.ExitCode.Should().Be(0, resolve.Stderr);
        resolve.Stdout.Should().StartWith("Resolved run 1 (partial, ").And.Contain("the report no longer says its records are missing");

        var rerun = await LlmLogProcess.RunAsync(dir.Path, "ingest", "app.jsonl", "--json", "--db", db);
        rerun.ExitCode.Should().Be(0, rerun.Stderr);
        rerun.Stdout.Should().Contain("\"resolved_run\":1", "a scheduler tells a resolved skip from a loaded file without reading the message");
        var none = await LlmLogProcess.RunAsync(dir.Path, "runs", "--exit-code", "--db", db);
        none.Stdout.Should().StartWith("No open runs in duckdb:");
        none.ExitCode.Should().Be(0, "--exit-code fails only while a run is open");
        (await LlmLogProcess.RunAsync(dir.Path, "export", "--table", "runs", "--out", "runs.csv", "--db", db)).ExitCode.Should().Be(0);
        var csv = File.ReadAllLines(dir.Combine("runs.csv"));
        csv[0].Should().EndWith(",completed_by_run,resolved_at,resolved_note");
        csv[1].Should().MatchRegex(@",\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z,rest sent again as app-2\.jsonl$");
    }

    [Fact]
    public async Task AMistypedOrMissingPartOfResolveIsAUsageErrorThatSaysWhatItTakes()
    {
        using var dir = new TempFolder();
        dir.File("good.jsonl", Some.JsonLines(Some.Calls(2, days: 1)));
        var db = dir.Combine("w.duckdb");
        (await LlmLogProcess.RunAsync(dir.Path, "ingest", "good.jsonl", "--db", db)).ExitCode.Should().Be(0);

        var noNote = await LlmLogProcess.RunAsync(dir.Path, "runs", "resolve", "1", "--db", db);
        var typo = await LlmLogProcess.RunAsync(dir.Path, "runs", "reslove", "1", "--db", db);
        var succeeded = await LlmLogProcess.RunAsync(dir.Path, "runs", "resolve", "1", "--note", "x", "--db", db);

        noNote.ExitCode.Should().Be(2);
        noNote.Stderr.Should().Contain("runs resolve needs --note TEXT: What became of the runs' records").And.Contain("Run 'llmlog runs resolve --help' for usage.");
        typo.ExitCode.Should().Be(2);
        typo.Stderr.Should().Contain("unexpected argument 'reslove' for runs; did you mean runs resolve?").And.NotContain("'1'");
        succeeded.ExitCode.Should().Be(2);
        succeeded.Stderr.Should().Contain("run 1 succeeded, so nothing of it is missing").And.Contain("nothing was changed");
    }

    // Found by probing: a note starting with '@' was read as a response file ("Response file not found 'alice ...'"),
    // and a file of that name would have been spliced into the command line.
    [Fact]
    public async Task ANoteStartingWithAnAtSignIsTakenAsWritten()
    {
        using var dir = new TempFolder();
        dir.File("empty.jsonl", "");
        dir.File("alice", "--db\nother.duckdb\n");
        var db = dir.Combine("w.duckdb");
        (await LlmLogProcess.RunAsync(dir.Path, "ingest", "empty.jsonl", "--db", db)).ExitCode.Should().Be(3);
        var id = await OpenRunId(dir, db);

        var resolve = await LlmLogProcess.RunAsync(dir.Path, "runs", "resolve", id, "--note", "@alice confirmed the export was empty", "--db", db);

        resolve.ExitCode.Should().Be(0, resolve.Stderr);
        var all = await LlmLogProcess.RunAsync(dir.Path, "runs", "--all", "--format", "json", "--db", db);
        all.Stdout.Should().Contain("\"resolved_note\":\"@alice confirmed the export was empty\"");
        File.Exists(dir.Combine("other.duckdb")).Should().BeFalse();
    }

    // Found by probing: an option resolve does not know was "not a run id", an option of 'runs' before 'resolve' was
    // ignored without a word, 'llmlog run' got no "did you mean", and a mistyped subcommand's own options were errors too.
    [Theory]
    [InlineData("runs resolve 5 --lock-timout 3 --note x", "unknown option --lock-timout for runs resolve; did you mean --lock-timeout?")]
    [InlineData("runs resolve 5 --limit 3 --note x", "unknown option --limit for runs resolve; --limit is an option of 'llmlog runs', which lists runs")]
    [InlineData("runs --all resolve 5 --note x", "--all is an option of 'llmlog runs', which lists runs; drop it from runs resolve")]
    [InlineData("run", "'run' is not a command; did you mean runs?")]
    [InlineData("runs reopen 5 --note x", "unknown option --note for runs reopen")]
    [InlineData("runs reslove 1 --note x", "unexpected argument 'reslove' for runs; did you mean runs resolve?")]
    public async Task AMistypedRunsCommandLineIsToldWhatWasMeant(string line, string said)
    {
        using var dir = new TempFolder();

        var run = await LlmLogProcess.RunAsync(dir.Path, [.. line.Split(' '), "--db", dir.Combine("w.duckdb")]);

        run.ExitCode.Should().Be(2);
        run.Stderr.Split('\n').Where(l => l.StartsWith("llmlog: ", StringComparison.Ordinal)).Should().Equal("llmlog: " + said);
        File.Exists(dir.Combine("w.duckdb")).Should().BeFalse();
    }

    // Found by probing: a file name's line break and terminal escape reached the terminal as they were, in the runs table
    // and in what resolve printed, where the ingest log escapes them.
    [Fact]
    public async Task ControlCharactersOfAFileNameAreEscapedInTheRunsTableAndTheResolveLine()
    {
        using var dir = new TempFolder();
        dir.File("in/bad\nname\u001b[31mRED.json", "");
        var db = dir.Combine("w.duckdb");
        (await LlmLogProcess.RunAsync(dir.Path, "ingest", "in", "--db", db)).ExitCode.Should().Be(3);

        var open = await LlmLogProcess.RunAsync(dir.Path, "runs", "--db", db);
        var resolve = await LlmLogProcess.RunAsync(dir.Path, "runs", "resolve", await OpenRunId(dir, db), "--note", "was empty", "--db", db);

        open.Stdout.Should().Contain("bad\\nname\\u001b[31mRED.json").And.NotContain("\u001b");
        resolve.Stdout.Should().Contain("bad\\nname\\u001b[31mRED.json").And.NotContain("\u001b");
        resolve.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle();
    }

    // Found by the third probe: a run cut short on the same bytes elsewhere was said to be "the same bytes, path and
    // modification time"; and with --all and a limit, the open runs could all be past the rows shown, unmentioned.
    // Bug: on a warehouse that never had a run, 'llmlog runs' said every run that failed or was cut short was completed
    // or resolved, as if there had been some (found by probing the CLI).
    [Fact]
    public async Task RunsOnAWarehouseThatNeverHadARunSaysSo()
    {
        using var w = await TestWarehouse.CreateAsync(LlmLog.Warehouse.Engine.DuckDb);
        w.Open().Dispose();

        var open = await LlmLogProcess.RunAsync(w.Files.Path, "runs", "--db", w.DbArgument);
        var all = await LlmLogProcess.RunAsync(w.Files.Path, "runs", "--all", "--db", w.DbArgument);

        open.ExitCode.Should().Be(0, open.Stderr);
        open.Stdout.Should().StartWith("No ingest runs in duckdb:").And.Contain("yet: nothing has been ingested into it").And.NotContain("completed by a later run");
        all.Stdout.Should().Be(open.Stdout);
    }

    [Fact]
    public void TheResolveLinesAndTheFullListSayWhatTheyLeaveOut()
    {
        var at = new DateTime(2025, 1, 2, 3, 4, 5);
        LlmLog.Loading.LedgerRun Run(long id, string status) => new(id, "/logs/app.jsonl", at, status, 5, 4, 0, 1, "cut", null, at, "n", true);

        var lines = RunsCommand.Resolved([
            new(Run(3, "partial"), LlmLog.Loading.Resolution.Resolved),
            new(Run(1, "partial"), LlmLog.Loading.Resolution.Resolved, With: 3),
            new(Run(7, "failed"), LlmLog.Loading.Resolution.Resolved, With: 5),
        ]).Split('\n');
        var table = RunsCommand.Table(new LlmLog.Loading.LedgerListing([Run(9, "succeeded") with { ResolvedAt = null }], 12, OpenOnly: false, OpenTotal: 2), "duckdb:w.duckdb");

        lines[1].Should().Contain("with run 3, which was cut short on the same bytes:");
        lines[2].Should().Contain("with run 5, which failed on the same file (the same bytes, path and modification time):");
        table.Should().Contain("11 older not shown").And.Contain("2 runs are open: 'llmlog runs' lists them.");
    }

    /// <summary>The id of the one open run, as a script reads it from <c>llmlog runs --format json</c>.</summary>
    private static async Task<string> OpenRunId(TempFolder dir, string db)
    {
        var listed = await LlmLogProcess.RunAsync(dir.Path, "runs", "--format", "json", "--db", db);
        using var json = System.Text.Json.JsonDocument.Parse(listed.Stdout);
        return json.RootElement.GetProperty("runs").EnumerateArray().Single().GetProperty("run_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
