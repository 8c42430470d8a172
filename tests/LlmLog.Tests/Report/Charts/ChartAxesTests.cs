using System.Globalization;
using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;

namespace LlmLog.Tests.Report.Charts;

/// <summary>What the axes of the charts say: whole counts, dollars, every label inside the image, lines measured from zero.</summary>
[Collection(ReportCollection.Name)]
public sealed class ChartAxesTests
{
    /// <summary>Charts whose value axis counts calls or tokens, and on which side that axis is.</summary>
    private static readonly (string Id, bool Left)[] CountAxes =
    [
        ("daily-calls", true), ("daily-models", true), ("daily-tokens", true), ("model-tokens", false), ("model-prompt-completion", false),
        ("temperature", true), ("request-types", false), ("tokens-per-hour", true), ("latency-histogram", true), ("max-tokens-use", true),
    ];

    // Bug: with one call the calls, temperature, request-type and max_tokens charts read 0, 0.1 … 1 calls.
    [Fact]
    public void ACountAxisHasWholeNumbersOnlyEvenForOneCall()
    {
        using var sample = ReportSample.Of([ChartData.Call(ChartData.Day(0), completion: 30)]);
        var charts = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)));

        foreach (var (id, left) in CountAxes)
        {
            var ticks = (left ? charts[id].LeftTicks : charts[id].BottomTicks).Select(t => t.Value).ToList();
            ticks.Should().NotBeEmpty($"chart {id} labels its count axis");
            ticks.Should().OnlyContain(t => IsWholeNumber(t), $"chart {id} counts whole calls or tokens, but its ticks read {string.Join(" ", ticks)}");
        }
    }

    // Bug: latencies below a millisecond were ticked "0 s" (twice, side by side) and "0.001 s" for 0.0005 s, and the
    // caption said "from 0.00 s" on a logarithmic axis (found by probing the report).
    [Fact]
    public void TicksAndCaptionOfSubMillisecondLatenciesSayTheirValues()
    {
        using var sample = ReportSample.Of([
            ChartData.Call(ChartData.Day(0, 8), latencyS: 0.00002),
            ChartData.Call(ChartData.Day(0, 9), latencyS: 0.0005),
            ChartData.Call(ChartData.Day(0, 10), latencyS: 0.003),
            ChartData.Call(ChartData.Day(0, 11), latencyS: 2),
        ]);
        var html = HtmlReportWriter.Render(ReportRun.Data(sample));

        var ticks = ChartSvg.AllIn(html)["latency-histogram"].BottomTicks.Select(t => t.Value).ToList();

        ticks.Should().NotContain("0 s").And.OnlyHaveUniqueItems();
        ticks.Should().Contain(t => t == "0.0001 s" || t == "0.001 s");
        html.Should().Contain("from 0.000020&#160;s to 2.00&#160;s");
    }

    private static bool IsWholeNumber(string label) => long.TryParse(label, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _);

    // Bug: the TTFT axis ended at the next power of ten, so a p95 of 9.9 s sat on the right frame, its marker half cut.
    [Fact]
    public void TheTimeToFirstTokenAxisLeavesRoomBeyondItsLastPowerOfTen()
    {
        var calls = Enumerable.Range(0, 5).Select(i =>
        {
            var call = ChartData.Call(ChartData.Day(0, 8 + i), latencyS: 9.9);
            call["metrics"]!["time_to_first_token"] = 9.9;
            return call;
        }).ToList();
        using var sample = ReportSample.Of(calls);

        var chart = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["model-ttft"];

        var last = chart.BottomTicks[^1];
        last.Value.Should().Be("10 s");
        (chart.DataArea.Left + chart.DataArea.Width - (last.Left + last.Right) / 2).Should().BeGreaterThan(8, "a value just under 10 s needs room for its marker");
    }

    // Bug: the last tick of the horizontal bar charts, "8,000,000", ran past the right edge and was cut.
    [Fact]
    public void EveryTextOfEveryChartLiesInsideTheImage()
    {
        // 7.65M tokens: ScottPlot's 5 % margin ends the axis just past 8,000,000, so that tick sits at the right edge.
        var big = Enumerable.Range(0, 10).Select(i => ChartData.Call(ChartData.Day(i % 3, 8 + i), "big-model", prompt: 735_000, completion: 30_000))
            .Append(ChartData.Call(ChartData.Day(1), "small-model", prompt: 100_000, completion: 5_000));
        using var large = ReportSample.Of(big);
        using var one = ReportSample.Of([ChartData.Call(ChartData.Day(0))]);
        using var usual = ReportSample.Create(days: 14);

        foreach (var sample in new[] { large, one, usual })
        {
            foreach (var chart in ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample))).Values)
            {
                foreach (var text in chart.Texts)
                {
                    text.Left.Should().BeGreaterThanOrEqualTo(0, $"\"{text.Value}\" in {chart.Id} starts inside the image");
                    text.Right.Should().BeLessThanOrEqualTo(ChartSvg.Width, $"\"{text.Value}\" in {chart.Id} ends inside the image");
                    text.Top.Should().BeGreaterThanOrEqualTo(0, $"\"{text.Value}\" in {chart.Id} is inside the image");
                    text.Bottom.Should().BeLessThanOrEqualTo(ChartSvg.Height, $"\"{text.Value}\" in {chart.Id} is inside the image");
                }
            }
        }
    }

    // Bug: with seven long model names beside it the TTFT axis from 1 to 1000 s read "50 s100 s200 s" and "500 s1000 s",
    // and with an 18-day pause in the data the cost chart's dates ran together as "01-2201-2601-30".
    [Fact]
    public void NoTwoTickLabelsOfAnAxisOverlapBesideLongNamesOrAroundAPause()
    {
        string[] models = [.. Enumerable.Range(0, 8).Select(i => FormattableString.Invariant($"claude-3-5-sonnet-2024102{i}"))];
        // Time to first token from 1 s for the first model to 1,000 s for the last.
        var slow = models.SelectMany((m, i) => Enumerable.Range(0, 3).Select(j =>
        {
            var ttft = Math.Pow(10, i * 3.0 / (models.Length - 1));
            var call = ChartData.Call(ChartData.Day(0, 1 + i * 2 + j), m, latencyS: ttft + 1, cost: 0.01);
            call["stream"] = true;
            call["metrics"]!["time_to_first_token"] = ttft;
            return call;
        }));
        var paused = Enumerable.Range(0, 10).Concat(Enumerable.Range(40, 10))
            .SelectMany(d => models.Select((m, i) => ChartData.Call(ChartData.Day(d, 1 + i), m, cost: 0.5 + i * 0.1)));
        using var ttft = ReportSample.Of(slow);
        using var pause = ReportSample.Of(paused);

        foreach (var sample in new[] { ttft, pause })
        {
            foreach (var chart in ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample))).Values)
            {
                var ticks = chart.BottomTicks;
                for (var i = 1; i < ticks.Count; i++)
                {
                    ticks[i].Left.Should().BeGreaterThanOrEqualTo(ticks[i - 1].Right,
                        $"\"{ticks[i - 1].Value}\" and \"{ticks[i].Value}\" in {chart.Id} stand apart; ticks were {string.Join(" | ", ticks.Select(t => t.Value))}");
                }
            }
        }
    }

    // Bug: times to first token from 0.0001 s to 5·10⁸ s beside a long model name left the log axis too narrow even for a
    // label every third decade, and "1,000,000 s" ran into "1,000,000,000 s" (found by probing the report).
    [Fact]
    public void NoTwoTickLabelsOfALogSecondsAxisOverlapWhenItSpansThirteenDecades()
    {
        (string Model, double TtftS)[] models = [("m-" + new string('é', 29), 0.0001), ("gpt-4o", 1), ("claude-3-5-sonnet", 5e8)];
        var calls = Enumerable.Range(0, 36).Select(i =>
        {
            var (model, ttft) = models[i % 3];
            var call = ChartData.Call(ChartData.Day(i % 6, 1 + i % 20), model, latencyS: ttft * 1.5);
            call["stream"] = i % 2 == 0;
            call["metrics"]!["time_to_first_token"] = ttft;
            return call;
        });
        using var sample = ReportSample.Of(calls);

        var chart = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["model-ttft"];

        var ticks = chart.BottomTicks;
        ticks.Count.Should().BeGreaterThanOrEqualTo(2, "a log axis over thirteen decades keeps labels; ticks were " + string.Join(" | ", ticks.Select(t => t.Value)));
        for (var i = 1; i < ticks.Count; i++)
        {
            ticks[i].Left.Should().BeGreaterThanOrEqualTo(ticks[i - 1].Right,
                $"\"{ticks[i - 1].Value}\" and \"{ticks[i].Value}\" stand apart; ticks were {string.Join(" | ", ticks.Select(t => t.Value))}");
        }
    }

    // Bug: a day with one call drew its token bar without a single time on the axis: the bar's hour was all it showed.
    [Fact]
    public void TheTokensPerHourChartOfOneDayLabelsTheHoursOfTheWholeDay()
    {
        using var sample = ReportSample.Of([ChartData.Call(ChartData.Day(0, 12))]);
        var hours = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["tokens-per-hour"];

        hours.BottomTicks.Select(t => t.Value).Should().Equal("00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "00:00");
    }

    // Bug: with calls from 22:00 on, the first day's tick (its midnight, left of the data) was drawn left of the
    // frame anyway, and its date cut by the image's edge ("5" of "01-05") once more than a week was charted.
    [Theory]
    [InlineData(22, 3)]
    [InlineData(22, 10)]
    [InlineData(23, 30)]
    public void EveryDateOfTheTokensPerHourAxisLabelsAPointOnItWhenTheDataStartsLateInADay(int firstHour, int days)
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, days).SelectMany(d => (d == 0 ? [firstHour] : new[] { 6, 12, 18 }).Select(h => ChartData.Call(ChartData.Day(d, h)))));
        var hours = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["tokens-per-hour"];

        hours.BottomTicks.Should().NotBeEmpty();
        foreach (var tick in hours.BottomTicks)
        {
            tick.Left.Should().BeGreaterThanOrEqualTo(0, $"\"{tick.Value}\" starts inside the image");
            tick.Right.Should().BeLessThanOrEqualTo(ChartSvg.Width, $"\"{tick.Value}\" ends inside the image");
            ((tick.Left + tick.Right) / 2).Should().BeInRange(hours.DataArea.Left - 1, hours.DataArea.Left + hours.DataArea.Width + 1, $"\"{tick.Value}\" marks a time on the axis; ticks were {string.Join(" ", hours.BottomTicks.Select(t => t.Value))}");
        }
    }

    // Bug: the daily latency axis began at the lowest value, so a day with a p50 of 3 s sat on the bottom frame like zero.
    [Fact]
    public void TheDailyLatencyAxisStartsAtZero()
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 5).SelectMany(d => new[]
        {
            ChartData.Call(ChartData.Day(d, 9), latencyS: 3 + d * 0.1),
            ChartData.Call(ChartData.Day(d, 15), latencyS: 3.5 + d * 0.2),
        }));
        var latency = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["daily-latency"];

        var lowest = latency.LeftTicks[0];
        lowest.Value.Should().Be("0", "the lowest tick of a seconds axis that starts at zero is 0; ticks were " + string.Join(" ", latency.LeftTicks.Select(t => t.Value)));
        lowest.Middle.Should().BeApproximately(latency.DataArea.Top + latency.DataArea.Height, 8, "zero is the bottom of the plot");
    }

    // Bug: over more than a week the hours are a line, and with a call in every hour its axis began at the quietest
    // hour's tokens (300), drawn on the bottom frame like zero.
    [Fact]
    public void TheTokensPerHourAxisStartsAtZeroWhenEveryHourHasCalls()
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 10 * 24).Select(h => ChartData.Call(ChartData.Day(0, 0).AddHours(h), prompt: 200 + h % 3 * 100, completion: 100)));
        var hours = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["tokens-per-hour"];

        var lowest = hours.LeftTicks[0];
        lowest.Value.Should().Be("0", "the lowest tick of a token axis that starts at zero is 0; ticks were " + string.Join(" ", hours.LeftTicks.Select(t => t.Value)));
        lowest.Middle.Should().BeApproximately(hours.DataArea.Top + hours.DataArea.Height, 8, "zero is the bottom of the plot");
    }

    // Bug: the cost axis of a cheap model read 9E-06 … 1E-06.
    [Fact]
    public void TheCostAxisReadsInDollarsForTinyCosts()
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 30).Select(i => ChartData.Call(ChartData.Day(i % 5, 6 + i % 12), "acme-1", cost: 1e-6 * (1 + i % 3))));
        var cost = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["daily-cost"];

        var ticks = cost.LeftTicks.Select(t => t.Value).ToList();
        ticks.Should().HaveCountGreaterThan(1);
        ticks.Should().OnlyContain(t => t.StartsWith('$') && !t.Contains('E', StringComparison.OrdinalIgnoreCase), "ticks were " + string.Join(" ", ticks));
        ticks.Select(t => decimal.Parse(t[1..], NumberStyles.Number, CultureInfo.InvariantCulture)).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }
}
