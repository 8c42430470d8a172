using System.Text.RegularExpressions;
using LlmLog.Report;
using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;

namespace LlmLog.Tests.Report.Charts;

/// <summary>What the captions under the charts say, checked against what the rest of the report says.</summary>
[Collection(ReportCollection.Name)]
public sealed class ChartCaptionTests
{
    // Bug: the cost caption said "$0.00 in total" where the tile said "<$0.0001", and "$0.01" where it said "$0.0102".
    [Theory]
    [InlineData(1e-6, "<$0.0001")]
    [InlineData(0.00102, "$0.0102")]
    public void TheCostCaptionStatesTheTotalAsTheTileDoes(double perCall, string expected)
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 10).Select(i => ChartData.Call(ChartData.Day(i % 2, 8 + i), "acme-1", cost: perCall)));
        var data = ReportRun.Data(sample);
        var html = HtmlReportWriter.Render(data);

        Format.Usd(data.Kpis.EstimatedCostUsd).Should().Be(expected);
        HtmlText.Of(html).Should().Contain("Logged cost\n" + expected);
        Regex.Match(html, @"<figcaption id=""d-daily-cost"">[^<]*").Value.Should().Contain(System.Net.WebUtility.HtmlEncode(expected) + " in total");
    }
}
