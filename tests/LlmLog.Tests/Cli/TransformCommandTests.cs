using LlmLog.Cli;
using LlmLog.Transform;

namespace LlmLog.Tests.Cli;

/// <summary>What <c>llmlog transform</c> prints when it is done: the table in force, and what to run next.</summary>
public sealed class TransformCommandTests
{
    private static readonly PriceTableInfo Table = new(new string('a', 64), "/data/my prices.csv", 1, new DateTime(2025, 3, 1));

    // Bug: after 'transform --prices F --dry-run' the hint said 'llmlog transform --reprice --dry-run', which, the new
    // table having been rolled back, repriced with the old one and said "Repricing changes no day's cost" (found by
    // probing prices).
    [Theory]
    [InlineData(true, "'llmlog transform --prices '/data/my prices.csv' --reprice --dry-run' shows what repricing would change.")]
    [InlineData(false, "'llmlog transform --reprice --dry-run' shows what repricing would change.")]
    public void TheRepriceHintNamesTheNewTableWhenADryRunRolledItBack(bool dryRun, string hint)
    {
        var text = TransformCommand.Describe(new TransformResult
        {
            Database = "duckdb:w.duckdb", DryRun = dryRun, PricesPath = "/data/my prices.csv", PriceTable = Table, CallsPricedUnderOtherTables = 6,
        });

        text.Should().Contain("6 calls keep the cost fixed before this price table was in force").And.Contain(hint);
    }

    // Bug: a day's cost going from 1.5e-7 to 3e-7 USD read "0.000000  0.000000", the $0 a known cost above zero never
    // is (found by probing prices).
    [Fact]
    public void ARepricedCostUnderAMillionthOfADollarIsNotWrittenAsZero()
    {
        var result = new TransformResult { Database = "duckdb:w.duckdb", DryRun = true, Reprice = true, PriceTable = Table };
        result.Changes.Add(new RepriceDayChange(new DateOnly(2025, 3, 5), 1, 1.5e-7, 3e-7, 0, 0));
        result.Changes.Add(new RepriceDayChange(new DateOnly(2025, 3, 6), 2, 0, 1.25, 1, 0));

        var lines = TransformCommand.Describe(result).Split('\n');

        lines.Should().Contain(l => l.StartsWith("2025-03-05", StringComparison.Ordinal) && l.Contains("<0.000001     <0.000001", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("2025-03-06", StringComparison.Ordinal) && l.Contains("0.000000      1.250000", StringComparison.Ordinal));
    }

    [Fact]
    public void OneRowOfPricesIsOneRow()
    {
        TransformCommand.Describe(new TransformResult { Database = "duckdb:w.duckdb", PriceTable = Table })
            .Should().Contain("Prices in force: /data/my prices.csv (1 row, sha256 ");
    }
}
