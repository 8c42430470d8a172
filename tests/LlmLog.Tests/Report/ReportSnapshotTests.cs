using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;

namespace LlmLog.Tests.Report;

/// <summary>
/// The text of the report for a fixed sample and clock, compared with a saved file so any change to numbers
/// or wording shows up in review. Set LLMLOG_UPDATE_SNAPSHOTS=1 to rewrite the saved file after an intended change.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class ReportSnapshotTests
{
    public const string UpdateVariable = "LLMLOG_UPDATE_SNAPSHOTS";

    [Fact]
    public void TheReportTextMatchesTheSavedSnapshot()
    {
        using var sample = ReportSample.Create();
        var data = ReportRun.Data(sample, title: "Snapshot report");
        var text = HtmlText.Stable(HtmlReportWriter.Render(data), sample);
        var expectedPath = Path.Combine(SourceFolder(), "Snapshots", "report-text.txt");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1" || !File.Exists(expectedPath))
        {
            File.WriteAllText(expectedPath, text);
            if (Environment.GetEnvironmentVariable(UpdateVariable) != "1") Assert.Fail($"No snapshot existed; wrote {expectedPath}. Review it and run again.");
        }
        text.Should().Be(File.ReadAllText(expectedPath), $"the report text changed; if intended, rerun with {UpdateVariable}=1 and review the diff");
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
