using System.Diagnostics;
using System.Globalization;
using System.Text;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Reliability;

/// <summary>
/// Ctrl-C (SIGINT) and a scheduler's stop (SIGTERM: systemd, Airflow, Kubernetes) end a command at once, with the
/// shell's exit code for that signal; llmlog says so and leaves nothing unfinished behind.
/// </summary>
public sealed class InterruptionTests
{
    // Bug: a SIGTERM ended an export without a word and left its hidden staging file (112 MB of a 1M-call CSV) beside
    // the output for good, and a generate stopped mid-way left a file of records cut off. A tree stopped so left its
    // folder and day folders, empty.
    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task AnExportStoppedByASignalSaysSoAndLeavesNoUnfinishedFile(string signal, int exitCode)
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var log = w.Files.Combine("calls.jsonl");
        (await LlmLogProcess.RunAsync(w.Files.Path, "generate", "60000", "--format", "jsonl", "--days", "20", "--out", log)).ExitCode.Should().Be(0);
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", log, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var lake = w.Files.Combine("lake");
        string[] export = ["export", "--table", "calls", "--partition-by", "day", "--out", lake, "--db", w.DbArgument];

        var stopped = await StopOnceAsync(w.Files.Path, signal, export, () => Directory.Exists(lake) && Directory.EnumerateFiles(lake, "*.partial", SearchOption.AllDirectories).Any());

        stopped.ExitCode.Should().Be(exitCode);
        stopped.Stderr.Should().Contain("Interrupted by").And.Contain("run the same command again").And.NotContain("   at ");
        // The tree's folder and its day folders, made for the export, went with it: they stayed, empty (found by probing the docs).
        Directory.Exists(lake).Should().BeFalse("the staged days are removed, none was published, and the folders made for them go too");
        (await LlmLogProcess.RunAsync(w.Files.Path, export)).ExitCode.Should().Be(0, "the same command again exports everything");
        Directory.EnumerateFiles(lake, "*.partial", SearchOption.AllDirectories).Should().BeEmpty();
    }

    // Found by probing a schedule: the runtime's debugger pipes and diagnostics socket, named after the process, stayed in
    // the temporary folder after every stop by a signal (three files a run, piling up under cron): the stop skips the
    // runtime's own shutdown, which removes them.
    [Fact]
    public async Task AStopByASignalLeavesNothingOfTheRuntimeInTheTemporaryFolder()
    {
        using var folder = new TempFolder();
        using var temp = new TempFolder();
        var log = folder.Combine("calls.jsonl");
        // The tests' runs make no such files (LlmLogProcess); this one does, as a scheduler's would, and is stopped only once
        // they are there, so that it cannot pass for want of them.
        var options = new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["TMPDIR"] = temp.Path, ["DOTNET_EnableDiagnostics"] = "1" });

        var stopped = await StopOnceAsync(folder.Path, "TERM", ["generate", "20000000", "--format", "jsonl", "--out", log],
            () => SomeFileHasRecords(folder.Path)
                && Directory.EnumerateFileSystemEntries(temp.Path, "dotnet-diagnostic-*").Any(), options);

        stopped.ExitCode.Should().Be(143, stopped.Stderr);
        Directory.EnumerateFileSystemEntries(temp.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task AGenerateStoppedByASignalLeavesNoFileOfRecordsCutOff()
    {
        using var folder = new TempFolder();
        var log = folder.Combine("calls.jsonl");

        // The records are written under a hidden name beside the file, and renamed to it when whole.
        var stopped = await StopOnceAsync(folder.Path, "TERM", ["generate", "20000000", "--format", "jsonl", "--out", log],
            () => SomeFileHasRecords(folder.Path));

        stopped.ExitCode.Should().Be(143);
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty("a file of records cut off mid-way would be ingested as one");
        // It spoke of "a slice of days being written to the warehouse", which generate has none of.
        stopped.Stderr.Should().Contain("Interrupted by SIGTERM").And.Contain("The records written so far are removed, and " + log + " is as it was before the run")
            .And.NotContain("warehouse");
    }

    [Fact]
    public async Task AGenerateToStandardOutputStoppedByASignalSaysWhatItWroteIsNotAWholeLog()
    {
        using var folder = new TempFolder();
        using var run = LlmLogProcess.Start(folder.Path, "generate", "20000000", "--format", "jsonl");
        run.StandardInput.Close();
        var stderr = run.StandardError.ReadToEndAsync();
        var buffer = new char[1 << 16];
        // Once records flow, the run is mid-way; what follows is read so that it never blocks on a full pipe.
        (await run.StandardOutput.ReadAsync(buffer)).Should().BeGreaterThan(0);
        var rest = run.StandardOutput.ReadToEndAsync();
        Signal(run, "INT");
        await ExitOrKillAsync(run);
        await rest;

        run.ExitCode.Should().Be(130);
        (await stderr).Should().Contain("Interrupted by Ctrl-C (SIGINT)")
            .And.Contain("The records written to standard output so far end mid-way and are not a whole log").And.NotContain("warehouse is rolled back");
    }

    [Fact]
    public async Task ASummaryStoppedByASignalSaysItChangedNothing()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var log = w.Files.File("calls.jsonl", Some.JsonLines(Some.Calls(5)));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", log, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        // An ingest waiting for the rest of standard input holds the DuckDB file, so the summary waits for it. A summary
        // started before the ingest had opened the file (a slow start) would read and end: it is started again.
        using var ingest = LlmLogProcess.Start(w.Files.Path, "ingest", "-", "--db", w.DbArgument);
        LlmLogProcess.Result? stopped = null;
        for (var attempt = 0; attempt < 5 && stopped is null; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            stopped = await StopWhileItWaitsAsync(w.Files.Path, "summary", "--db", w.DbArgument);
        }
        ingest.StandardInput.Close();
        await ingest.WaitForExitAsync();

        stopped.Should().NotBeNull("the summary must be caught waiting for the ingest's lock");
        stopped!.ExitCode.Should().Be(143, stopped.Stderr);
        stopped.Stderr.Should().Contain("Interrupted by SIGTERM").And.Contain("Nothing is changed: summary only reads the warehouse")
            .And.NotContain("being written to the warehouse is rolled back");
    }

    // The database's side is what a SIGKILL leaves (FaultInjectionTests): the file in hand is rolled back.
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AnIngestStoppedByASignalMidFileKeepsNoneOfItAndTheSameCommandLoadsItWhole(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var records = Some.Calls(40);
        var lines = Encoding.UTF8.GetBytes(Some.JsonLines(records));

        var stopped = await StopIngestWaitingForInputAsync(w, lines, TimeSpan.FromSeconds(3), run => Signal(run, "TERM"));

        stopped.ExitCode.Should().Be(143);
        stopped.Stderr.Should().Contain("Interrupted by SIGTERM").And.Contain("rolled back");
        using (var json = System.Text.Json.JsonDocument.Parse(stopped.Stdout))
        {
            json.RootElement.GetProperty("exit_code").GetInt32().Should().Be(143, "--json prints its object however the run stops");
            json.RootElement.GetProperty("message").GetString().Should().StartWith("interrupted by SIGTERM");
        }
        var file = w.Files.File("calls.jsonl", lines);
        var again = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);
        again.ExitCode.Should().Be(0, again.Stderr);
        w.Scalar<long>("SELECT count(*) FROM calls").Should().Be(records.Count, "nothing of the stopped run was kept, and all of it loads now");
    }

    // Bug: under timeout(1), which signals the process and then its process group, llmlog got SIGTERM twice; the second
    // was taken for a user's second Ctrl-C and ended the process at once, often before the first had logged a word,
    // printed its --json object or removed the unfinished files (found by probing scheduled runs).
    [Fact]
    public async Task TheSameSignalDeliveredTwiceAtOnceIsOneStopThatStillSaysSo()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var lines = Encoding.UTF8.GetBytes(Some.JsonLines(Some.Calls(40)));

        // Before the fix the race was lost in about two stops of five: eight stops all but always catch it.
        for (var stop = 1; stop <= 8; stop++)
        {
            var stopped = await StopIngestWaitingForInputAsync(w, lines, TimeSpan.FromSeconds(1.5), run =>
            {
                var pid = run.Id.ToString(CultureInfo.InvariantCulture);
                using var kill = Process.Start("kill", ["-s", "TERM", pid, pid])!;
                kill.WaitForExit();
            });

            stopped.ExitCode.Should().Be(143, $"stop {stop}");
            stopped.Stderr.Should().Contain("Interrupted by SIGTERM", $"stop {stop} says so");
            using var json = System.Text.Json.JsonDocument.Parse(stopped.Stdout);
            json.RootElement.GetProperty("exit_code").GetInt32().Should().Be(143, $"stop {stop} prints its --json object");
        }
    }

    // 'ingest - --json' given the first half of lines, with standard input left open: after the wait the run is inside the
    // file's transaction, waiting for more, and is stopped there.
    private static async Task<LlmLogProcess.Result> StopIngestWaitingForInputAsync(TestWarehouse w, byte[] lines, TimeSpan wait, Action<Process> stop)
    {
        using var run = LlmLogProcess.Start(w.Files.Path, "ingest", "-", "--json", "--db", w.DbArgument);
        var stderr = run.StandardError.ReadToEndAsync();
        var stdout = run.StandardOutput.ReadToEndAsync();
        await run.StandardInput.BaseStream.WriteAsync(lines.AsMemory(0, lines.Length / 2));
        await run.StandardInput.BaseStream.FlushAsync();
        await Task.Delay(wait);
        run.HasExited.Should().BeFalse("the run waits for the rest of its input");
        stop(run);
        await ExitOrKillAsync(run);
        return new LlmLogProcess.Result(run.ExitCode, await stdout, await stderr);
    }

    // Starts the command and sends it SIGTERM once it says it is waiting for the warehouse's lock; null when it ended
    // without waiting.
    private static async Task<LlmLogProcess.Result?> StopWhileItWaitsAsync(string folder, params string[] args)
    {
        using var run = LlmLogProcess.Start(folder, args);
        run.StandardInput.Close();
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        var waited = false;
        while (await run.StandardError.ReadLineAsync() is { } line)
        {
            stderr.AppendLine(line);
            if (waited || !line.Contains("waiting up to", StringComparison.Ordinal)) continue;
            waited = true;
            Signal(run, "TERM");
        }
        await ExitOrKillAsync(run);
        return waited ? new LlmLogProcess.Result(run.ExitCode, await stdout, stderr.ToString()) : null;
    }

    // Starts the command, waits (up to a minute) until ready() holds, and sends it the signal. A run that finishes first
    // is started again, up to five times, so a fast machine does not make the test pass without a signal.
    private static async Task<LlmLogProcess.Result> StopOnceAsync(string folder, string signal, string[] args, Func<bool> ready, LlmLogProcess.Options? options = null)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var run = LlmLogProcess.Start(folder, options ?? new LlmLogProcess.Options(), args);
            run.StandardInput.Close();
            var stdout = run.StandardOutput.ReadToEndAsync();
            var stderr = run.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!run.HasExited && !ready() && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(2);
            if (run.HasExited)
            {
                await run.WaitForExitAsync();
                continue;
            }
            Signal(run, signal);
            await ExitOrKillAsync(run);
            return new LlmLogProcess.Result(run.ExitCode, await stdout, await stderr);
        }
        throw new InvalidOperationException($"llmlog {string.Join(' ', args)} finished five times before it could be stopped");
    }

    // Before it writes, generate proves its folder takes a file with an empty probe it deletes at once; the probe can be
    // listed here and gone before its length is read, which failed a CI run with FileNotFoundException.
    private static bool SomeFileHasRecords(string folder) => Directory.EnumerateFiles(folder).Any(f =>
    {
        try
        {
            return new FileInfo(f).Length > 0;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    });

    // A signal the process never acts on failed the test by hanging the suite; it fails it in two minutes instead.
    private static async Task ExitOrKillAsync(Process run)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await run.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            run.Kill(entireProcessTree: true);
            throw new InvalidOperationException("llmlog did not stop within two minutes of the signal");
        }
    }

    private static void Signal(Process run, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, run.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0);
    }
}
