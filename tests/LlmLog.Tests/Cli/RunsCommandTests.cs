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
        open.Stdout.Should().StartWith("1 open run in duckdb:").And.Contain("partial").And.Contain("app.jsonl")
            .And.Contain("is cut off", "the reason is under the run").And.Contain("llmlog runs resolve RUN_ID --note");

        var resolve = await LlmLogProcess.RunAsync(dir.Path, "runs", "resolve", "1", "--note", "rest sent again as app-2.jsonl", "--db", db);
        resolve.ExitCode.Should().Be(0, resolve.Stderr);
        resolve.Stdout.Should().StartWith("Resolved run 1 (partial, ").And.Contain("the report no longer lists its records as missing");

        var none = await LlmLogProcess.RunAsync(dir.Path, "runs", "--db", db);
        none.Stdout.Should().StartWith("No open runs in duckdb:");
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
}
