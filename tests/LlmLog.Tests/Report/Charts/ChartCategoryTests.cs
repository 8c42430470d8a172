using System.Globalization;
using System.Text.RegularExpressions;
using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;

namespace LlmLog.Tests.Report.Charts;

/// <summary>Charts of categories stay readable however many categories the data has: a bounded number of bars, labels apart and inside, captions of bounded length.</summary>
[Collection(ReportCollection.Name)]
public sealed class ChartCategoryTests
{
    // Bug: temperatures uniform over 0–2 drew ~200 bars whose labels printed over each other, and the caption listed all ~200 values.
    [Fact]
    public void TemperaturesOfManyDistinctValuesAreDrawnAsAFewBinsWithLabelsApart()
    {
        // 0.00 to 2.00 in steps of 0.01: 201 distinct temperatures, and a few calls that set none.
        var calls = Enumerable.Range(0, 402).Select(i =>
        {
            var call = ChartData.Call(ChartData.Day(i % 5, i % 24));
            if (i < 400) call["temperature"] = Math.Round(i % 201 * 0.01, 2);
            else call.AsObject().Remove("temperature");
            return call;
        });
        using var sample = ReportSample.Of(calls);
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));
        var chart = ChartSvg.AllIn(html)["temperature"];

        chart.Marks.Should().HaveCountLessThanOrEqualTo(25, "values this many are binned, not drawn one bar each");
        chart.Marks.Should().HaveCountGreaterThanOrEqualTo(10, "a range of 0 to 2 keeps bins about 0.1 wide");
        TextsStandApart(chart);
        TextsInsideTheImage(chart);
        var caption = Caption(html, "temperature");
        Regex.Matches(caption, @"\d+(\.\d+)?").Count.Should().BeLessThanOrEqualTo(20, "the caption names a few bins, not every value; it was: " + caption);
        caption.Should().ContainEquivalentOf("not set: 2 calls", "the calls without a temperature are counted apart");
    }

    // Bug: temperatures were rounded to two decimals before they were counted and binned, so 0.196 counted as 0.2: a
    // histogram put it a bin too high and counted 23 distinct settings as 22, and a bar chart labelled it 0.2 (found by
    // probing the report).
    [Fact]
    public void TemperaturesAreCountedAndBinnedAsTheClientSetThemNotRoundedToTwoDecimals()
    {
        // 0.00 to 1.05 in steps of 0.05 (22 settings) and ten calls at 0.196: 23 distinct settings, so a histogram.
        double[] settings = [.. Enumerable.Range(0, 22).Select(i => Math.Round(i * 0.05, 2)), .. Enumerable.Repeat(0.196, 10)];
        var calls = settings.Select((t, i) =>
        {
            var call = ChartData.Call(ChartData.Day(i % 3, i % 24));
            call["temperature"] = t;
            return call;
        });
        using var sample = ReportSample.Of(calls);

        var caption = Caption(HtmlReportWriter.Render(ReportRun.Data(sample)), "temperature");

        caption.Should().Contain("23 distinct values from 0.0 to 1.05").And.Contain("Most calls: 0.1–0.2 (12)", caption);
    }

    // Bug: settings of three decimals beside their two-decimal neighbours were labelled alike (0.196 and 0.2 both "0.2").
    [Fact]
    public void TemperaturesOfMoreThanTwoDecimalsKeepTheirOwnLabel()
    {
        double[] settings = [0.2, 0.196, 0.7];
        var calls = Enumerable.Range(0, 9).Select(i =>
        {
            var call = ChartData.Call(ChartData.Day(i % 3, i % 24));
            call["temperature"] = settings[i % 3];
            return call;
        });
        using var sample = ReportSample.Of(calls);

        var caption = Caption(HtmlReportWriter.Render(ReportRun.Data(sample)), "temperature");

        caption.Should().Contain("0.196: 3").And.Contain("0.2: 3").And.Contain("0.7: 3");
    }

    // Bug: 21 settings of two decimals and "not set" kept a bar each, but their labels ran together ("2.0not set").
    [Fact]
    public void TemperaturesFewEnoughForABarEachKeepThemWithLabelsApart()
    {
        double[] settings = [.. Enumerable.Range(0, 20).Select(i => Math.Round(0.05 + i * 0.1, 2)), 2.0];
        var calls = Enumerable.Range(0, (settings.Length + 1) * 3).Select(i =>
        {
            var call = ChartData.Call(ChartData.Day(i % 3, i % 24));
            if (i % (settings.Length + 1) < settings.Length) call["temperature"] = settings[i % (settings.Length + 1)];
            else call.AsObject().Remove("temperature");
            return call;
        });
        using var sample = ReportSample.Of(calls);
        var chart = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["temperature"];

        chart.Marks.Should().HaveCount(settings.Length + 1, "each setting keeps its bar, and so do the calls that set none");
        TextsStandApart(chart);
    }

    // Bug: 25 request types with long names drew labels over each other, the first running off the left edge.
    [Fact]
    public void ManyLongRequestTypesShowTheMostFrequentAndOtherWithLabelsApartAndInside()
    {
        var calls = Enumerable.Range(0, 25).SelectMany(k => Enumerable.Range(0, 30 - k).Select(j =>
        {
            var call = ChartData.Call(ChartData.Day(j % 4, j % 24));
            call["type"] = string.Create(CultureInfo.InvariantCulture, $"agent_step_{k}_tool_call_with_a_rather_long_name");
            return call;
        }));
        using var sample = ReportSample.Of(calls);
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));
        var chart = ChartSvg.AllIn(html)["request-types"];

        var labels = chart.Texts.Where(t => t.Value.StartsWith("agent_step_", StringComparison.Ordinal) || t.Value == "other").Select(t => t.Value).ToList();
        labels.Should().HaveCountLessThanOrEqualTo(10).And.Contain("other").And.Contain(l => l.StartsWith("agent_step_0_", StringComparison.Ordinal));
        TextsStandApart(chart);
        TextsInsideTheImage(chart);
        var caption = Caption(html, "request-types");
        Regex.Matches(caption, "agent_step_").Count.Should().BeLessThanOrEqualTo(9, "the caption names the types drawn, the rest pooled; it was: " + caption);
        caption.Should().Contain("agent_step_0_tool_call_with_a_rather_long_name").And.Contain("other");
    }

    // A request type called "other" among the most frequent drew a second "other" bar beside the pooled rest (found by
    // probing the report); with the rest pooled, it is in the pool, and the daily chart's stack has one "other" too.
    [Fact]
    public void ARequestTypeCalledOtherJoinsThePooledTypesInsteadOfASecondOtherBar()
    {
        var calls = Enumerable.Range(0, 14).SelectMany(k => Enumerable.Range(0, 30 - k).Select(j =>
        {
            var call = ChartData.Call(ChartData.Day(j % 4, 0).AddMinutes(j * 20 + k));
            call["type"] = k == 0 ? "other" : string.Create(CultureInfo.InvariantCulture, $"type_{k:00}");
            return call;
        }));
        using var sample = ReportSample.Of(calls);
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));
        var charts = ChartSvg.AllIn(html);

        charts["request-types"].LeftTicks.Select(t => t.Value).Should().BeEquivalentTo(["type_01", "type_02", "type_03", "type_04", "type_05", "type_06", "type_07", "type_08", "type_09", "other"]);
        Caption(html, "request-types").Should().Contain("the other 5 types: 104 (", "the type called other (30), type_10 … type_13 (20, 19, 18, 17)");
        charts["daily-calls"].Legend.Select(l => l.Label).Should().Equal("type_01", "type_02", "type_03", "type_04", "type_05", "other");
    }

    private static string Caption(string html, string id) =>
        System.Net.WebUtility.HtmlDecode(Regex.Match(html, $@"<figcaption id=""d-{id}"">([^<]*)").Groups[1].Value);

    private static void TextsStandApart(ChartSvg chart)
    {
        var texts = chart.Texts;
        for (var i = 0; i < texts.Count; i++)
        {
            for (var j = i + 1; j < texts.Count; j++)
            {
                var (a, b) = (texts[i], texts[j]);
                var overlap = a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom;
                overlap.Should().BeFalse($"\"{a.Value}\" and \"{b.Value}\" in {chart.Id} stand apart");
            }
        }
    }

    private static void TextsInsideTheImage(ChartSvg chart)
    {
        foreach (var text in chart.Texts)
        {
            text.Left.Should().BeGreaterThanOrEqualTo(0, $"\"{text.Value}\" in {chart.Id} starts inside the image");
            text.Right.Should().BeLessThanOrEqualTo(ChartSvg.Width, $"\"{text.Value}\" in {chart.Id} ends inside the image");
        }
    }
}
