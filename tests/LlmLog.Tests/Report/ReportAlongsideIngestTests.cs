using LlmLog.Cli;
using LlmLog.Loading;
using LlmLog.Report;
using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Report;

/// <summary>
/// A report on PostgreSQL reads one snapshot of the warehouse and does not hold off the writers while it reads.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class ReportAlongsideIngestTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // Bug: a report kept the writer lock for its whole read, so an ingest scheduled beside a long one (another zone or
    // a model filter reads the call rows: 9–25 s at 10M calls) waited for it, up to --lock-timeout, then failed with
    // exit 7. The report now releases the lock once its sessions share a snapshot, and shows what was there then.
    [Theory]
    [InlineData("")]
    [InlineData("gpt-4o")]
    public async Task AnIngestGoesAheadWhileAPostgresReportReadsAndTheReportShowsTheWarehouseAsItWasWhenItStarted(string model)
    {
        using var w = await TestWarehouse.CreateAsync(Engine.Postgres);
        IngestRunner.Run(w.Target, [w.Files.File("first.jsonl", Some.JsonLines([Some.Call(created: "2024-12-18 10:00:00", model: "gpt-4o")]))], new IngestOptions());
        var selection = ReportSelection.Create(null, null, model, "UTC");

        ReportData during;
        using (var reads = ReportCommand.OpenReads(w.Target, selection, Wait))
        {
            var later = w.Files.File("later.jsonl", Some.JsonLines([Some.Call(created: "2024-12-19 10:00:00", model: "gpt-4o")]));
            var ingest = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", later, "--db", w.DbArgument, "--lock-timeout", "5");
            ingest.ExitCode.Should().Be(0, "the report's read must not hold off the ingest: " + ingest.Stderr);

            during = ReportCommand.Build(reads, selection, null);
        }
        var after = ReportCommand.Build(w.Target, selection, null, Wait);

        (during.Kpis.Calls, during.Header.LastDay, during.Days.Count).Should().Be((1L, new DateOnly(2024, 12, 18), 1));
        (after.Kpis.Calls, after.Header.LastDay, after.Days.Count).Should().Be((2L, new DateOnly(2024, 12, 19), 2));
    }
}
