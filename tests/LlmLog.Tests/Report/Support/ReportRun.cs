using LlmLog.Report;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Report.Support;

/// <summary>Builds a report from a sample warehouse the way the command does, with the clock fixed.</summary>
public static class ReportRun
{
    public static ReportData Data(ReportSample sample, DateOnly? from = null, DateOnly? to = null, string? model = null, string zone = "UTC", string? title = null)
    {
        var selection = ReportSelection.Create(from, to, model, zone);
        // The generation time is passed in rather than frozen: Clock is process-wide and other test classes run alongside.
        return LlmLog.Cli.ReportCommand.Build(sample.Target, selection, title, TimeSpan.FromSeconds(10), ReportSample.FixedNow);
    }

    /// <summary>
    /// The same report with every number aggregated from the call rows through the zone rules, never from the
    /// UTC marts or the stored day: what the report's shortcuts must agree with.
    /// </summary>
    public static ReportData DataFromCallRows(ReportSample sample, DateOnly? from = null, DateOnly? to = null, string? model = null, string zone = "UTC")
    {
        var selection = ReportSelection.Create(from, to, model, zone);
        using var db = WarehouseConnection.Open(sample.Target, TimeSpan.FromSeconds(10));
        db.AcquireWriterLock(TimeSpan.FromSeconds(10));
        LlmLog.Transform.MartRefresher.RefreshDirtyDays(db);
        var engine = db.Engine == Engine.Postgres ? "PostgreSQL" : "DuckDB";
        using var queries = new ReportQueries(db) { UseMarts = false };
        return ReportBuilder.Build(queries, selection, null, engine, ReportSample.FixedNow);
    }

    /// <summary>Runs <c>llmlog</c> in-process and returns its exit code.</summary>
    public static int Cli(params string[] args) => LlmLog.Cli.LlmLogCli.Run(args);
}

/// <summary>
/// Report tests build sizeable warehouses and start chromium: one at a time, so that no more than one of them shares the
/// cores with the other tests. Beside the others, not after them all (DisableParallelization), which left the suite's
/// last four minutes on one core.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReportCollection
{
    public const string Name = "Report";
}
