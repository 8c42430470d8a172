using System.Globalization;
using LlmLog.Export;
using LlmLog.Report;
using LlmLog.Transform;
using LlmLog.Tests.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Cli;

/// <summary>--to before --from: one usage error, in the same words, from every command that selects days.</summary>
public sealed class DayOrderTests
{
    private static readonly DateOnly From = new(2025, 2, 1);
    private static readonly DateOnly To = new(2025, 1, 15);

    // Bug: summary and export wrote the days in the current culture's calendar; code that runs llmlog in-process under
    // a Persian culture read "--to 1403-10-26 is before --from 1403-11-13". The report alone said "swap them".
    [Fact]
    public void SummaryReportAndExportRefuseReversedDaysInTheSameWordsUnderAPersianCulture()
    {
        using var folder = TransformFixtures.Folder();
        var target = DatabaseTarget.Parse(folder.Combine("never-created.duckdb"));
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fa-IR");
            Action summary = () => LlmLog.Cli.SummaryCommand.Read(target, new DailyMetricsQuery { From = From, To = To }, TimeSpan.FromSeconds(5));
            Action report = () => ReportSelection.Create(From, To, null, "UTC");
            Action export = () => Exporter.Run(target, new ExportRequest
            {
                Table = ExportTable.Named("calls"),
                Out = folder.Combine("calls.csv"),
                From = From,
                To = To,
                LockTimeout = TimeSpan.FromSeconds(5),
            });

            foreach (var command in new[] { summary, report, export })
            {
                command.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage)
                    .WithMessage("--to 2025-01-15 is before --from 2025-02-01; swap them");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
        File.Exists(folder.Combine("never-created.duckdb")).Should().BeFalse("a usage error opens no warehouse");
        File.Exists(folder.Combine("calls.csv")).Should().BeFalse();
    }
}
