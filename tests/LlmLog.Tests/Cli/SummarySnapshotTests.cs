using System.Globalization;
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

        ShouldMatchCsv(output.ToString(), Expected("summary-handworked.csv"));
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

    /// <summary>
    /// Same text, except that numbers may differ in their last bits: the engines sum floating-point values
    /// in whatever order their threads finish, so the 17th digit is not part of the contract.
    /// </summary>
    internal static void ShouldMatchCsv(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        a.Should().HaveSameCount(e, "one line per day, LF line ends");
        a[0].Should().Be(e[0], "the header is the contract");
        for (var line = 1; line < e.Length; line++)
        {
            var (af, ef) = (a[line].Split(','), e[line].Split(','));
            af.Should().HaveSameCount(ef);
            for (var i = 0; i < ef.Length; i++)
            {
                if (af[i] == ef[i]) continue;
                var x = double.Parse(af[i], CultureInfo.InvariantCulture);
                var y = double.Parse(ef[i], CultureInfo.InvariantCulture);
                Math.Abs(x - y).Should().BeLessThanOrEqualTo(1e-12 * Math.Abs(y), $"line {line}, {e[0].Split(',')[i]}");
            }
        }
    }

    private static string Expected(string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "Expected", name));
}
