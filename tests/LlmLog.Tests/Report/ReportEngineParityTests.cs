using LlmLog.Report.Html;
using LlmLog.Report.Pdf;
using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Report;

/// <summary>The report's SQL on a real PostgreSQL: the same input gives the same report as on DuckDB, word for word.</summary>
[Collection(ReportCollection.Name)]
public sealed class ReportEngineParityTests
{
    [Theory]
    [InlineData("UTC")]
    [InlineData("Asia/Tokyo")]
    public async Task PostgreSqlAndDuckDbGiveTheSameReport(string zone)
    {
        var pg = DatabaseTarget.Parse(await PostgresServer.Shared.CreateDatabaseAsync());
        using var onPostgres = ReportSample.Create(days: 6, loggedCosts: false, target: pg);
        using var onDuckDb = ReportSample.Create(days: 6, loggedCosts: false);

        var pgData = ReportRun.Data(onPostgres, zone: zone);
        var duckData = ReportRun.Data(onDuckDb, zone: zone);

        pgData.Header.Engine.Should().Be("PostgreSQL");
        Text(HtmlReportWriter.Render(pgData), onPostgres).Replace("PostgreSQL", "DuckDB", StringComparison.Ordinal)
            .Should().Be(Text(HtmlReportWriter.Render(duckData), onDuckDb));
        PdfReportWriter.Write(pgData, Path.Combine(onPostgres.Folder, "report.pdf"));
        new FileInfo(Path.Combine(onPostgres.Folder, "report.pdf")).Length.Should().BeGreaterThan(10_000);
    }

    private static string Text(string html, ReportSample sample) => HtmlText.Stable(html, sample);
}
