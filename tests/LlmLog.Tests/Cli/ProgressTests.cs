using System.Diagnostics;
using System.Text.RegularExpressions;
using LlmLog.Export;
using LlmLog.Tests.Export;
using LlmLog.Tests.Support;
using LlmLog.Tests.Transform;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Cli;

/// <summary>
/// Long work shows how far it has got on a terminal: the ingest's reading, the refresh of the marts after it, an export's
/// rows, the report marts the first report after an ingest builds. Before, all but the reading were silent until they
/// ended (after 10M calls: the refresh 15 s, the report's marts 8-12 s, the export a minute).
/// </summary>
public sealed partial class ProgressTests
{
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AnExportReportsItsRowsAndDaysUpToTheWholeSelection(Engine engine)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(engine);
        var reports = new List<ExportProgress>();

        var result = Exporter.Run(w.Target, new ExportRequest
        {
            Table = ExportTable.Named("calls"),
            Out = w.Files.Combine("calls.csv"),
            LockTimeout = TimeSpan.FromSeconds(60),
        }, progress: reports.Add);

        reports.Should().NotBeEmpty();
        reports.Select(r => r.Rows).Should().BeInAscendingOrder();
        reports.Select(r => r.PartsDone).Should().BeInAscendingOrder();
        reports[^1].Rows.Should().Be(result.Rows);
        reports[^1].PartsDone.Should().Be(reports[^1].Parts);
        reports[^1].Parts.Should().BeGreaterThan(1, "a calls export reads a day at a time");
    }

    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task ARefreshReportsEachSliceItBuildsFromNoneToAll(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        Dapper.SqlMapper.Execute(warehouse.Connection, "INSERT INTO dirty_days (day) SELECT DISTINCT day FROM calls");
        var reports = new List<RefreshProgress>();

        var days = MartRefresher.RefreshDirtyDays(warehouse, callsPerSlice: 1, progress: p => { lock (reports) reports.Add(p); });

        var slices = reports[0].Slices;
        slices.Should().BeGreaterThan(1);
        reports.Select(r => r.SlicesBuilt).Should().Equal(Enumerable.Range(0, slices + 1), "one report before the first slice and one after each");
        reports.Should().OnlyContain(r => r.Days == days && r.Label == "marts");
    }

    // Bug: a log line written while the progress line was drawn began at its end ("...121,041 records/s 07:27:12 INF ...").
    [Fact]
    public async Task OnATerminalIngestExportAndReportDrawProgressAndEveryLogLineStartsOnALineOfItsOwn()
    {
        using var folder = new TempFolder();
        var log = folder.Combine("calls.jsonl");
        var db = folder.Combine("w.duckdb");
        (await LlmLogProcess.RunAsync(folder.Path, "generate", "20000", "--format", "jsonl", "--days", "5", "--out", log)).ExitCode.Should().Be(0);

        var ingest = OnATerminal(folder.Path, "ingest", log, "--db", db);
        var export = OnATerminal(folder.Path, "export", "--table", "calls", "--out", folder.Combine("calls.csv"), "--db", db);
        var report = OnATerminal(folder.Path, "report", "--out", folder.Combine("dashboard.html"), "--db", db);

        ingest.Should().Contain("Refreshing the marts of 5 days: 1 of 1 slice built");
        export.Should().Contain("Exporting calls: 20,000 rows, 5 of 5 days");
        report.Should().Contain("Refreshing the report marts of 5 days: 1 of 1 slice built");
        foreach (var line in (ingest + export + report).Split('\r', '\n').Where(l => l.Contains(" INF ", StringComparison.Ordinal)))
        {
            LogLineStart().IsMatch(line).Should().BeTrue($"a log line starts with its time, not after a progress line: '{line}'");
        }
    }

    // What the command writes on a terminal (a pseudo-terminal from util-linux's script), colours taken out.
    private static string OnATerminal(string folder, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", LlmLogProcess.Executable }.Concat(args).Select(a => "'" + a + "'"));
        var info = new ProcessStartInfo("script", ["-qec", command, "/dev/null"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("LLMLOG_DB");
        using var run = Process.Start(info)!;
        run.StandardInput.Close();
        var stderr = run.StandardError.ReadToEndAsync();
        var output = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        run.ExitCode.Should().Be(0, output + stderr.Result);
        return Colours().Replace(output, "");
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z=]|\x1b[=>]")]
    private static partial Regex Colours();

    [GeneratedRegex(@"^\d\d:\d\d:\d\dZ INF ")]
    private static partial Regex LogLineStart();
}
