using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;

namespace LlmLog.Tests.Report.Charts;

/// <summary>How the charts show models: one colour per model in the whole report, names cut between characters.</summary>
[Collection(ReportCollection.Name)]
public sealed class ChartModelTests
{
    // Bug: the cost chart ranked models by cost, the others by calls, so one model was blue in one chart and orange in another.
    [Fact]
    public void AModelHasTheSameColourInEveryChart()
    {
        // "many-cheap" has the most calls, "few-dear" the most cost.
        var calls = Enumerable.Range(0, 30).Select(i => ChartData.Call(ChartData.Day(i % 3, 1 + i % 20), "many-cheap", cost: 0.001))
            .Concat(Enumerable.Range(0, 10).Select(i => ChartData.Call(ChartData.Day(i % 3, 2 + i), "few-dear", cost: 1.0)));
        using var sample = ReportSample.Of(calls);
        var charts = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)));

        var tokens = charts["model-tokens"];
        var barColour = tokens.LeftTicks.ToDictionary(t => t.Value, t => tokens.Marks.MinBy(m => Math.Abs(m.Middle - t.Middle))!.Fill);
        var legendColour = charts["daily-cost"].Legend.ToDictionary(l => l.Label, l => l.Fill);

        barColour.Keys.Should().BeEquivalentTo("many-cheap", "few-dear");
        legendColour.Should().BeEquivalentTo(barColour, "the cost legend gives each model the colour of its bar in the tokens chart");
    }
}
