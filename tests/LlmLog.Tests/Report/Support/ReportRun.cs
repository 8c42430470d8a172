using LlmLog.Report;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Report.Support;

/// <summary>Builds a report from a sample warehouse the way the command does, with the clock fixed.</summary>
public static class ReportRun
{
    public static ReportData Data(ReportSample sample, DateOnly? from = null, DateOnly? to = null, string? model = null, string zone = "UTC", string? title = null)
    {
        using var _ = Clock.Freeze(ReportSample.FixedNow);
        var selection = ReportSelection.Create(from, to, model, zone);
        return LlmLog.Cli.ReportCommand.Build(sample.Target, selection, title, TimeSpan.FromSeconds(10));
    }

    /// <summary>Runs <c>llmlog</c> in-process and returns its exit code.</summary>
    public static int Cli(params string[] args) => LlmLog.Cli.LlmLogCli.Run(args);
}

/// <summary>Report tests fix the process-wide clock, so they must not run beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReportCollection
{
    public const string Name = "Report (fixed clock)";
}
