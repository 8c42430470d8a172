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

    // Bug: "peak 200 on 2025-03-01" named the first of many days of 200 calls, a partial one (found by probing the report).
    [Fact]
    public void TheDailyCallsCaptionSaysHowManyDaysShareThePeak()
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 4).SelectMany(day => Enumerable.Range(0, day == 2 ? 2 : 3).Select(i => ChartData.Call(ChartData.Day(day, 8 + i)))));
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-daily-calls"">([^<]*)").Groups[1].Value);
        caption.Should().Contain("11 calls, peak 3 on 2025-03-01 (partial), 2025-03-02 and 2025-03-04 (partial).");
    }

    // Bug: "the busiest hour is 2025-03-01 00:00 with 5,400 tokens" named the first of 22 hours with 5,400 tokens each
    // (found by probing the report).
    [Fact]
    public void TheTokensPerHourCaptionSaysHowManyHoursShareThePeak()
    {
        using var sample = ReportSample.Of(new[] { 3, 7, 9 }.Select(h => ChartData.Call(ChartData.Day(0, h), prompt: 700, completion: 300))
            .Append(ChartData.Call(ChartData.Day(0, 5), prompt: 100, completion: 50)));
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-tokens-per-hour"">([^<]*)").Groups[1].Value);
        caption.Should().Contain("the busiest hours have 1,000 tokens each, 3 hours, the first at 2025-03-01 03:00.");
    }

    // Bug: the caption said "$265.35 in total" where some calls with usage had no price; the tables write such a total "≥ $265.35".
    [Fact]
    public void TheCostCaptionWritesATotalThatLeavesOutUnpricedCallsAsAFloor()
    {
        // Five calls with a logged cost; three with usage, no logged cost and a model no price table knows.
        var calls = Enumerable.Range(0, 5).Select(i => ChartData.Call(ChartData.Day(i % 2, 8 + i), "acme-1", cost: 1.0))
            .Concat(Enumerable.Range(0, 3).Select(i => ChartData.Call(ChartData.Day(i % 2, 14 + i), "unknown-model-xyz")));
        using var sample = ReportSample.Of(calls);
        var data = ReportRun.Data(sample);
        var html = HtmlReportWriter.Render(data);

        data.Kpis.UnpricedCalls.Should().Be(3);
        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-daily-cost"">([^<]*)").Groups[1].Value);
        caption.Should().Contain("≥\u00a0$5.00 in total", "the total leaves out 3 unpriced calls, as the daily table's total row says");
    }

    // Bug: with more models than the chart names, the caption said "other uses the most": the pooled rest is not a model.
    [Fact]
    public void TheTokensCaptionNamesTheTopModelAndSaysWhenThePooledRestIsLarger()
    {
        // Ten models of three calls each: the six named and four pooled, "model-a" the largest of them.
        var calls = Enumerable.Range(0, 10).SelectMany(m => Enumerable.Range(0, 3).Select(j =>
            ChartData.Call(ChartData.Day(j, 8 + m), $"model-{(char)('a' + m)}", prompt: m == 0 ? 2_000 : 700)));
        using var sample = ReportSample.Of(calls);
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-model-tokens"">([^<]*)").Groups[1].Value);
        caption.Should().NotContain("other uses").And.Contain("model-a uses the most").And.Contain("4 models pooled as other use more");
    }

    // Bug: two models with exactly as many tokens read "model-a uses the most, 50.0% of all tokens", one of them named as
    // the leader (found by probing the report).
    [Fact]
    public void TheTokensCaptionNamesModelsThatTieForTheMostTogether()
    {
        using var sample = ReportSample.Of(new[] { "model-a", "model-b" }.SelectMany(m => Enumerable.Range(0, 2).Select(i => ChartData.Call(ChartData.Day(i, 10), m))));
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-model-tokens"">([^<]*)").Groups[1].Value);
        caption.Should().EndWith("model-a and model-b use the most, 50.0% of all tokens each.").And.NotContain("uses the most");
    }

    // Bug: a day of one call of each of two models read "the most calls went to model-a (50.0%)": the first by name of
    // the two (found by probing the report).
    [Fact]
    public void TheDailyModelsCaptionNamesModelsThatTieForTheMostCallsOfADayTogether()
    {
        var calls = Enumerable.Range(0, 3).SelectMany(day => new[] { ChartData.Call(ChartData.Day(day, 9), "model-a"), ChartData.Call(ChartData.Day(day, 15), "model-b") })
            .Append(ChartData.Call(ChartData.Day(2, 16), "model-b"));
        using var sample = ReportSample.Of(calls);
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-daily-models"">([^<]*)").Groups[1].Value);
        caption.Should().Contain("the most calls went to model-a and model-b (50.0% each) on 2025-03-01 (partial) and to model-b (66.7%) on 2025-03-03 (partial).");
    }

    // Bug: with six hours of day holding 7 calls each, the heatmap's caption said "the busiest hour of day overall is
    // 00:00", the first of them (found by probing the report).
    [Theory]
    [InlineData(2, "the busiest hours of day overall are 00:00 and 03:00, with 7 calls each;")]
    [InlineData(6, "the busiest hours of day overall have 7 calls each: 6 hours, the first at 00:00;")]
    public void TheHeatmapCaptionSaysHowManyHoursOfDayShareTheMostCalls(int tied, string expected)
    {
        var calls = Enumerable.Range(0, tied).SelectMany(h => Enumerable.Range(0, 7).Select(i => ChartData.Call(ChartData.Day(i, h * 3))))
            .Append(ChartData.Call(ChartData.Day(0, 23)));
        using var sample = ReportSample.Of(calls);
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-heatmap"">([^<]*)").Groups[1].Value);
        caption.Should().Contain(expected).And.NotContain("the busiest hour of day overall is");
    }

    // Bug: a model that wrote 1 token in 2 h 24 min read "median 0.0 tokens/s", as if it wrote nothing (found by probing
    // the report).
    [Fact]
    public void TheOutputSpeedCaptionDoesNotRoundASlowModelToZero()
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 3).Select(i => ChartData.Call(ChartData.Day(i, 1), "slow-model", latencyS: 8_620, completion: 1)));
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-model-output-speed"">([^<]*)").Groups[1].Value);
        caption.Should().Contain("slow-model mean 0.00012 tokens/s, median 0.00012 tokens/s.").And.NotContain("0.0 tokens/s");
    }

    // Bug: a report of one model said "gpt-4o uses the most", of a field of one.
    [Fact]
    public void TheTokensCaptionOfOneModelSaysWhatItsCallsUseRatherThanRankIt()
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 4).Select(i => ChartData.Call(ChartData.Day(i, 10), "gpt-4o", prompt: 700, completion: 300)));
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-model-tokens"">([^<]*)").Groups[1].Value);
        caption.Should().NotContain("the most").And.Contain("4,000 tokens").And.Contain("1,000 per call");
    }

    // Bug: a call that logs only its prompt tokens has usage but no total, and the caption divided the total of the
    // other calls by both: 20 tokens over 2 calls read "10 per call" where the one call with a total had 20.
    [Theory]
    [InlineData("UTC")]
    [InlineData("Europe/Berlin")]
    public void TheTokensCaptionOfOneModelDividesByTheCallsThatReportATotal(string zone)
    {
        var whole = ChartData.Call(ChartData.Day(0, 10), "gpt-4o", prompt: 15, completion: 5);
        var promptOnly = ChartData.Call(ChartData.Day(1, 10), "gpt-4o", prompt: 7);
        var metrics = promptOnly["metrics"]!.AsObject();
        metrics.Remove("completion_tokens");
        metrics.Remove("tokens");
        using var sample = ReportSample.Of([whole, promptOnly]);
        var data = ReportRun.Data(sample, zone: zone);
        var html = HtmlReportWriter.Render(data);

        data.Kpis.CallsWithUsage.Should().Be(2, "both calls report some usage");
        var caption = System.Net.WebUtility.HtmlDecode(Regex.Match(html, @"<figcaption id=""d-model-tokens"">([^<]*)").Groups[1].Value);
        caption.Should().Contain("20 tokens over 1 call that reports a total, 20 per call; 1 more call reports only part of its usage.");
    }

    // Bug: "over 1 day(s)", "24 call(s)", "0 pair(s)", "1 rows", and "8725 hours with calls" without its separator.
    [Fact]
    public void OneOfAnythingIsSingularAndNoCountIsWrittenWithAPluralInBrackets()
    {
        // One call that hits its limit on one day: one day, one row, one hour.
        var call = ChartData.Call(ChartData.Day(0), "acme-1", completion: 256, cost: 0.01);
        call["max_tokens"] = 256;
        using var sample = ReportSample.Of([call]);
        var text = HtmlText.Of(HtmlReportWriter.Render(ReportRun.Data(sample)));

        text.Should().NotMatchRegex(@"\((s|es)\)");
        text.Should().NotMatchRegex(@"\b1 (calls|days|rows|hours|pairs|records|weeks|call latencies)\b");
        text.Should().Contain("over 1 day.").And.Contain("1 row;").And.Contain("1 hour with calls").And.Contain("1 call reached the limit");
    }

    [Fact]
    public void CountsInCaptionsHaveTheirThousandsSeparated()
    {
        // Calls on every hour of 60 days: 1,440 hours with calls.
        using var sample = ReportSample.Of(Enumerable.Range(0, 60 * 24).Select(h => ChartData.Call(ChartData.Day(h / 24, h % 24), cost: 0.01)));
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var captions = string.Join("\n", Regex.Matches(html, @"<figcaption[^>]*>([^<]*)").Select(m => m.Groups[1].Value));
        captions.Should().Contain("1,440 hours with calls").And.NotMatchRegex(@"(?<![-\d.,:])\d{4,}(?![-\d])", "every count of thousands is grouped");
    }
}
