using System.Globalization;
using System.Text;
using LlmLog.Report;
using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Report;

/// <summary>
/// In UTC the report reads days and hours from the marts and the stored day instead of converting every call
/// through the zone rules; these tests hold it to the numbers the call rows give.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class ReportQueriesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheUtcShortcutsGiveTheSameReportAsTheCallRows(bool loggedCosts)
    {
        using var sample = EdgeSample(loggedCosts);

        var shortcut = ReportRun.Data(sample);
        var fromCalls = ReportRun.DataFromCallRows(sample);

        Same(shortcut, fromCalls, sample);
        shortcut.Cost.Source.Should().Be(loggedCosts ? CostSource.Logged : CostSource.Estimated);
        shortcut.ChartModels.Should().HaveCount(ReportBuilder.TopModels + 1, "the sample has more models than charts keep apart");
    }

    [Fact]
    public void TheUtcShortcutsGiveTheSameReportForAPartOfTheDays()
    {
        using var sample = EdgeSample(loggedCosts: false);
        var from = new DateOnly(2025, 1, 2);
        var to = new DateOnly(2025, 3, 30);

        var shortcut = ReportRun.Data(sample, from: from, to: to);

        Same(shortcut, ReportRun.DataFromCallRows(sample, from: from, to: to), sample);
        shortcut.Days.Select(d => d.Day).Should().Contain(to).And.NotContain(new DateOnly(2025, 3, 31));
    }

    [Fact]
    public async Task TheUtcShortcutsGiveTheSameReportOnPostgreSql()
    {
        var pg = DatabaseTarget.Parse(await PostgresServer.Shared.CreateDatabaseAsync());
        using var sample = EdgeSample(loggedCosts: false, pg);

        Same(ReportRun.Data(sample), ReportRun.DataFromCallRows(sample), sample);
    }

    // A report for another zone or one model reads the call rows, so it leaves the report's marts (seconds of
    // work after a large ingest) to the next report that reads them, which gives the same numbers as ever.
    [Fact]
    public void OnlyAReportThatReadsTheReportMartsBuildsThem()
    {
        using var sample = EdgeSample(loggedCosts: false);
        long Stale()
        {
            using var db = WarehouseConnection.Open(sample.Target, TimeSpan.FromSeconds(10));
            return Dapper.SqlMapper.ExecuteScalar<long>(db.Connection, "SELECT count(*) FROM report_dirty_days");
        }
        var stale = Stale();
        stale.Should().BeGreaterThan(0, "ingest leaves the report's marts to the next report");

        ReportRun.Data(sample, model: "gpt-4o-mini");
        ReportRun.Data(sample, zone: "America/New_York");
        Stale().Should().Be(stale, "neither report reads the report's marts");

        Same(ReportRun.Data(sample), ReportRun.DataFromCallRows(sample), sample);
        Stale().Should().Be(0, "a UTC report of all models builds them");
    }

    // Bug: a UTC report of all models counted the unpriced calls without a prompt/completion split by joining every call
    // of the period to its cost: 2 s of a 4 s report at 10M calls (found by the benchmark). It reads the per-model mart,
    // so call rows changed behind the marts' back change nothing in it, and a report that reads the call rows sees them.
    [Fact]
    public void AUtcReportOfAllModelsTellsCallsWithoutASplitFromTheMarts()
    {
        using var sample = EdgeSample(loggedCosts: false);
        var before = ReportRun.Data(sample).Findings;
        using (var db = WarehouseConnection.Open(sample.Target, TimeSpan.FromSeconds(10)))
        {
            Dapper.SqlMapper.Execute(db.Connection, "UPDATE calls SET completion_tokens = NULL WHERE model = 'model-01'");
        }

        ReportRun.Data(sample).Findings.Should().Equal(before);
        ReportRun.DataFromCallRows(sample).Findings.Should().NotEqual(before, "the call rows now say model-01's calls log no split");
    }

    private static void Same(ReportData shortcut, ReportData fromCalls, ReportSample sample)
    {
        HtmlText.Stable(HtmlReportWriter.Render(shortcut), sample).Should().Be(HtmlText.Stable(HtmlReportWriter.Render(fromCalls), sample));
        shortcut.Distributions.Hours.Should().Equal(fromCalls.Distributions.Hours);
        shortcut.Cost.Rows.Select(r => (r.Day, r.Model)).Should().Equal(fromCalls.Cost.Rows.Select(r => (r.Day, r.Model)));
        shortcut.Cost.Rows.Zip(fromCalls.Cost.Rows).Should().OnlyContain(p => Math.Abs(p.First.Usd - p.Second.Usd) <= 1e-12 * Math.Max(1, Math.Abs(p.Second.Usd)));
        shortcut.Kpis.UnpricedCalls.Should().Be(fromCalls.Kpis.UnpricedCalls);
        shortcut.Kpis.CallsWithTotalTokens.Should().Be(fromCalls.Kpis.CallsWithTotalTokens)
            .And.BeLessThan(shortcut.Kpis.CallsWithUsage, "one edge call reports its prompt tokens only");
    }

    /// <summary>
    /// Twelve models over four days, plus calls on both sides of UTC midnight and of the night Europe and the US
    /// change their clocks, where a local day or hour computed through a zone would differ from the stored one.
    /// </summary>
    private static ReportSample EdgeSample(bool loggedCosts, DatabaseTarget? target = null)
    {
        var models = Enumerable.Range(1, 12).Select(i => $"model-{i:00}").Append("gpt-4o-mini").ToArray();
        var sample = ReportSample.Create(days: 4, callsPerDay: 60, models: models, loggedCosts: loggedCosts, target: target);
        var edges = new StringBuilder();
        string[] instants =
        [
            "2025-01-04 23:59:59", "2025-01-05 00:00:00", "2025-03-09 06:59:59", "2025-03-09 07:00:00",
            "2025-03-30 00:59:59", "2025-03-30 01:00:00", "2025-03-30 23:59:59", "2025-03-31 00:00:00",
        ];
        for (var i = 0; i < instants.Length; i++)
        {
            var start = (DateTime.Parse(instants[i], CultureInfo.InvariantCulture) - DateTime.UnixEpoch).TotalSeconds;
            // One call logs only its prompt tokens: usage without a total.
            var tokens = i == 3 ? "\"prompt_tokens\":200" : "\"tokens\":300,\"prompt_tokens\":200,\"completion_tokens\":100";
            var usage = loggedCosts ? tokens + ",\"cost\":0.001" : tokens;
            edges.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"edge-{i}\",\"created\":\"{instants[i]}\",\"model\":\"gpt-4o-mini\",\"stream\":{(i % 2 == 0 ? "true" : "false")},\"type\":\"text\",")
                .Append(CultureInfo.InvariantCulture, $"\"metrics\":{{\"start\":{start},\"end\":{start + 1.5 + i},\"time_to_first_token\":0.4,{usage}}}}}\n");
        }
        var file = Path.Combine(sample.Folder, "edges.jsonl");
        File.WriteAllText(file, edges.ToString(), new UTF8Encoding(false));
        sample.Ingest(file);
        return sample;
    }
}
