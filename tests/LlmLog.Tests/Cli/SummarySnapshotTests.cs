using System.Runtime.CompilerServices;
using LlmLog.Cli;
using LlmLog.Tests.Transform;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Cli;

/// <summary>The summary outputs of the hand-worked fixture, checked against saved expected files.</summary>
public sealed class SummarySnapshotTests
{
    [Fact]
    public async Task CsvOfTheHandWorkedFixtureMatchesTheSavedFile()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var output = new StringWriter();

        SummaryCommand.WriteCsv(SummaryCommand.Read(target, new DailyMetricsQuery(), TimeSpan.FromSeconds(30)), output);

        output.ToString().Should().Be(Expected("summary-handworked.csv"));
    }

    [Fact]
    public async Task TableOfTheHandWorkedFixtureInTokyoMatchesTheSavedFile()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var output = new StringWriter();
        output.NewLine = "\n";
        var result = SummaryCommand.Read(target, new DailyMetricsQuery { TimeZone = "Asia/Tokyo" }, TimeSpan.FromSeconds(30));

        SummaryCommand.WriteTable(result, output);

        // The price table's path and hash depend on the test's temporary folder and the test table's bytes.
        var text = output.ToString().Replace(result.PriceTables.Single().SourcePath, "PRICES.csv", StringComparison.Ordinal);
        text.Should().Be(Expected("summary-handworked-tokyo.txt"));
    }

    private static string Expected(string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "Expected", name));
}
