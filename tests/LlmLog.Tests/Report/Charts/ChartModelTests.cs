using LlmLog.Report.Charts;
using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;

namespace LlmLog.Tests.Report.Charts;

/// <summary>How the charts show models: one colour per model in the whole report, names cut between characters.</summary>
[Collection(ReportCollection.Name)]
public sealed class ChartModelTests
{
    [Fact]
    public void ModelsWhoseTimeToFirstTokenIsAlwaysZeroGetAnEmptyChartNotAnError()
    {
        // A model whose calls all logged "time_to_first_token": 0 stopped 'llmlog report --model' with "Internal error:
        // Sequence contains no elements" (found by probing parity).
        using var sample = ReportSample.WithLog("ttft-zero.jsonl", """
            {"id":"z1","created":"2024-06-01 12:00:00","model":"a","stream":true,"metrics":{"start":1717243200,"end":1717243201,"time_to_first_token":0}}
            {"id":"z2","created":"2024-06-01 12:00:05","model":"b","stream":true,"metrics":{"start":1717243205,"end":1717243206,"time_to_first_token":0.3}}
            """);

        var data = ReportRun.Data(sample, model: "a");
        var chart = ReportCharts.All(data).Single(c => c.Id == "model-ttft");

        chart.EmptyReason.Should().Contain("0 s");
        HtmlReportWriter.Render(data).Should().Contain("model-ttft");
    }

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
        charts["daily-models"].Legend.ToDictionary(l => l.Label, l => l.Fill).Should().BeEquivalentTo(barColour, "and so does the model mix's");
    }

    // A costly model with few calls was in the cost chart's grey "other", beside six cheap models with more calls, while the
    // cost findings named it (found by probing the report). The charts name the costliest models too, in their colours.
    [Fact]
    public void AModelWithFewCallsButTheMostCostHasItsOwnBarsInEveryModelChart()
    {
        var calls = Enumerable.Range(0, 8).SelectMany(m => Enumerable.Range(0, 20 - m)
                .Select(i => ChartData.Call(ChartData.Day(i % 3, 1 + i), $"cheap-{m}", cost: 0.001)))
            .Append(ChartData.Call(ChartData.Day(1, 22), "dear", cost: 50));
        using var sample = ReportSample.Of(calls);
        var data = ReportRun.Data(sample);
        var charts = ChartSvg.AllIn(HtmlReportWriter.Render(data));

        data.ChartModels.Select(m => m.Model).Should().Equal("cheap-0", "cheap-1", "cheap-2", "cheap-3", "cheap-4", "cheap-5", "dear", "other");
        var cost = charts["daily-cost"].Legend.ToDictionary(l => l.Label, l => l.Fill);
        cost.Keys.Should().Contain("dear").And.Contain("other");
        cost["dear"].Should().NotBe(cost["other"]);
        var tokens = charts["model-tokens"];
        var barColour = tokens.LeftTicks.ToDictionary(t => t.Value, t => tokens.Marks.MinBy(m => Math.Abs(m.Middle - t.Middle))!.Fill);
        barColour["dear"].Should().Be(cost["dear"], "a model keeps its colour from chart to chart");
        data.ChartModels[^1].Calls.Should().Be(14 + 13, "cheap-6 and cheap-7 are pooled");
    }

    // Found by probing: six models by calls, two by cost and one more (rather than an "other" of one) are nine, and with
    // eight colours the ninth took the first one's blue. Every model named has a colour of its own, none "other"'s grey.
    [Fact]
    public void NineModelsNamedInTheChartsHaveNineColours()
    {
        var calls = Enumerable.Range(0, 7).SelectMany(m => Enumerable.Range(0, 20 - m).Select(i => ChartData.Call(ChartData.Day(i % 3, 1 + i), $"cheap-{m}", cost: 0.001)))
            .Concat(new[] { ("dear-1", 40.0), ("dear-2", 50.0) }.Select(d => ChartData.Call(ChartData.Day(1, 22), d.Item1, cost: d.Item2)));
        using var sample = ReportSample.Of(calls);
        var data = ReportRun.Data(sample);
        var tokens = ChartSvg.AllIn(HtmlReportWriter.Render(data))["model-tokens"];

        data.ChartModels.Should().HaveCount(9).And.NotContain(m => m.Model == "other");
        var colours = tokens.LeftTicks.Select(t => tokens.Marks.MinBy(m => Math.Abs(m.Middle - t.Middle))!.Fill).ToList();
        colours.Should().HaveCount(9).And.OnlyHaveUniqueItems().And.NotContain(c => c.Equals("#b0b0b0", StringComparison.OrdinalIgnoreCase) || c.Equals("#7f7f7f", StringComparison.OrdinalIgnoreCase));
    }

    // A model called "other" among the six with the most calls was drawn as a second "other" bar beside the pooled rest, and
    // the tokens caption counted it among "the models pooled as other" (found by probing the report). It joins the pool.
    [Fact]
    public void AModelCalledOtherIsPooledWithTheRestNeverDrawnBesideThem()
    {
        var names = new[] { "a", "other", "b", "c", "d", "e", "f", "g", "h" };
        var calls = names.SelectMany((name, m) => Enumerable.Range(0, 30 - 2 * m).Select(i => ChartData.Call(ChartData.Day(i % 3, 1 + i % 20), name)))
            .Concat(Enumerable.Range(0, 3).Select(i => ChartData.Call(ChartData.Day(i, 23), "other", prompt: 900_000, completion: 0)));
        using var sample = ReportSample.Of(calls);
        var data = ReportRun.Data(sample);
        var charts = ChartSvg.AllIn(HtmlReportWriter.Render(data));

        data.ChartModels.Select(m => m.Model).Should().Equal("a", "b", "c", "d", "e", "f", "other");
        data.ChartModels[^1].Calls.Should().Be(31 + 16 + 14, "the model called other, g and h");
        charts["model-tokens"].LeftTicks.Count(t => t.Value == "other").Should().Be(1);
        charts["daily-models"].Legend.Count(l => l.Label == "other").Should().Be(1);
        ReportCharts.All(data).Single(c => c.Id == "model-tokens").AltText.Should().Contain("the 3 models pooled as other use more together");
    }

    // The model mix's caption named a model literally called "other" as "other (27.8%)", which read as the chart's pool of
    // models, whose bar that day is taller (found by review).
    [Fact]
    public void AModelCalledOtherThatLeadsADayIsNamedAsAModelInTheMixCaption()
    {
        var names = new[] { "a", "b", "c", "d", "e", "f", "g", "h" };
        var calls = names.SelectMany((name, m) => Enumerable.Range(0, 2 * (10 - m)).Select(i => ChartData.Call(ChartData.Day(i % 2, 1 + i / 2), name)))
            .Concat(Enumerable.Range(0, 30).Select(i => ChartData.Call(ChartData.Day(0, 1 + i % 20), "other")));
        using var sample = ReportSample.Of(calls);
        var data = ReportRun.Data(sample);

        data.ChartModels[^1].Model.Should().Be("other", "g, h and the model called other are pooled");
        ReportCharts.All(data).Single(c => c.Id == "daily-models").AltText
            .Should().Contain("the most calls went to the model named “other” (")
            .And.NotContain("went to other (");
    }

    // A new model taking over the traffic showed in no chart over time, and, unpriced, made the cost per day seem to halve
    // (found by probing the report). The model mix per day is drawn, and its caption names each end's leading model.
    [Fact]
    public void ANewModelTakingOverTheTrafficShowsInTheDailyModelMix()
    {
        var calls = Enumerable.Range(0, 6).SelectMany(day => Enumerable.Range(0, 10)
            .Select(i => ChartData.Call(ChartData.Day(day, 1 + i), day < 3 || i < 2 ? "gpt-4o-2024-11-20" : "acme-new-1")));
        using var sample = ReportSample.Of(calls);
        var data = ReportRun.Data(sample);

        var figure = ReportCharts.All(data).Single(c => c.Id == "daily-models");
        figure.AltText.Should().Contain("the most calls went to gpt-4o-2024-11-20 (100.0%) on 2025-03-01 (partial) and to acme-new-1 (80.0%) on 2025-03-06 (partial).");
        var chart = ChartSvg.AllIn(HtmlReportWriter.Render(data))["daily-models"];
        chart.Legend.Select(l => l.Label).Should().Equal("gpt-4o-2024-11-20", "acme-new-1");
        chart.Marks.Select(m => m.Fill).Distinct().Should().HaveCount(2, "one colour per model");
        chart.Marks.Should().HaveCount(9, "6 days of gpt-4o-2024-11-20 and 3 of acme-new-1");
    }

    // Bug: a name cut inside a surrogate pair made the label vanish (an emoji at the 17th place) or read "…" alone.
    [Theory]
    [InlineData("abcdefghijklmno🚀-long-model-name-xyz-2024", "abcdefghijklmno🚀…e-xyz-2024")]
    [InlineData("🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀", "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀…🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀")]
    [InlineData("👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻", "👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻")]
    [InlineData("gpt-4o-2024-11-20", "gpt-4o-2024-11-20")]
    public void ALongModelNameIsCutBetweenCharactersNeverInsideOne(string name, string label)
    {
        ChartStyle.Shorten(name).Should().Be(label);
    }

    // Bug: cut 16 + 10, two names that differ only in their middle read "acme-claude-3-5-…t-20241022" and
    // "acme-claude-3-5-…u-20241022" in the legends and on the axes (found by probing the report).
    [Theory]
    [InlineData("acme-claude-3-5-sonnet-20241022", "acme-claude…sonnet-20241022")]
    [InlineData("acme-claude-3-5-haiku-20241022", "acme-claude-…haiku-20241022")]
    [InlineData("acme-gpt-4o-mini-2024-07-18-finetune", "acme-gpt-4o-mini…8-finetune")]
    public void ALongNameKeepsThePartThatTellsItFromTheOtherNamesOfItsChart(string name, string label)
    {
        string[] names = ["acme-claude-3-5-sonnet-20241022", "acme-claude-3-5-haiku-20241022", "acme-gpt-4o-mini-2024-07-18-finetune"];

        ChartStyle.Shorten(name, names).Should().Be(label);
    }

    // Bug: names that part only in their last character kept one character of their end, "acme-enterprise-finetuned…0",
    // where 16 + 10 tells them apart as well (found by probing the report).
    [Fact]
    public void NamesThatDifferOnlyAtTheirEndKeepTheirLastTenCharacters()
    {
        var names = Enumerable.Range(0, 3).Select(i => $"acme-enterprise-finetuned-assistant-model-with-a-very-long-descriptive-name-v2-build-00{i}").ToList();

        names.Select(n => ChartStyle.Shorten(n, names)).Should().Equal("acme-enterprise-…-build-000", "acme-enterprise-…-build-001", "acme-enterprise-…-build-002");
    }

    [Fact]
    public void TheModelChartsNameTwoModelsThatDifferInTheirMiddleApart()
    {
        var calls = Enumerable.Range(0, 6).Select(i => ChartData.Call(ChartData.Day(i % 2), i % 3 == 0 ? "acme-claude-3-5-haiku-20241022" : "acme-claude-3-5-sonnet-20241022", cost: 0.01));
        using var sample = ReportSample.Of(calls);
        var charts = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)));

        charts["model-tokens"].LeftTicks.Select(t => t.Value).Should().BeEquivalentTo("acme-claude…sonnet-20241022", "acme-claude-…haiku-20241022");
        charts["daily-cost"].Legend.Select(l => l.Label).Should().BeEquivalentTo("acme-claude…sonnet-20241022", "acme-claude-…haiku-20241022");
    }

    [Fact]
    public void AModelNameWithAnEmojiWhereItIsCutKeepsItsLabel()
    {
        const string Name = "abcdefghijklmno🚀-long-model-name-xyz-2024";
        using var sample = ReportSample.Of([ChartData.Call(ChartData.Day(0), Name), ChartData.Call(ChartData.Day(0, 14), "gpt-4o")]);
        var tokens = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["model-tokens"];

        // The chart font has no emoji, so the rocket itself may not be drawn; the rest of the label must be.
        var labels = tokens.LeftTicks.Select(t => t.Value).ToList();
        labels.Should().Contain("gpt-4o").And.Contain(l => l.StartsWith("abcdefghijklmno", StringComparison.Ordinal) && l.EndsWith("…e-xyz-2024", StringComparison.Ordinal), "labels were " + string.Join(" | ", labels));
    }

    // The chart font has no emoji and Skia leaves out what its font cannot draw: a name of emoji alone was a blank label.
    [Fact]
    public void AModelNameTheChartFontCannotDrawStillHasAVisibleLabel()
    {
        using var sample = ReportSample.Of([ChartData.Call(ChartData.Day(0), "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀"), ChartData.Call(ChartData.Day(0, 14), "gpt-4o")]);
        var tokens = ChartSvg.AllIn(HtmlReportWriter.Render(ReportRun.Data(sample)))["model-tokens"];

        var labels = tokens.LeftTicks.Select(t => t.Value).ToList();
        labels.Should().HaveCount(2).And.Contain("gpt-4o");
        labels.Should().OnlyContain(l => l.Trim('…').Length > 0, "every model has a label one can see; labels were " + string.Join(" | ", labels));
    }
}
