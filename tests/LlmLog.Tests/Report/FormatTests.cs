using LlmLog.Report;

namespace LlmLog.Tests.Report;

/// <summary>How the report writes amounts of money, durations and large counts.</summary>
public sealed class FormatTests
{
    // Bug: a priced call of $0.000015 read "$0.0000", the "$0" that an unknown cost is never shown as
    // (found by probing costs).
    [Theory]
    [InlineData(0.000015, "<$0.0001")]
    [InlineData(0.00005, "$0.0001")]
    [InlineData(0.0, "$0.0000")]
    [InlineData(0.1234, "$0.1234")]
    [InlineData(1234.5, "$1,234.50")]
    [InlineData(null, "n/a")]
    public void AnAmountTooSmallForFourDecimalsIsNotShownAsZero(double? usd, string expected)
    {
        Format.Usd(usd).Should().Be(expected);
    }

    // Bug: an amount just under a dollar was written to four decimals after rounding up to one, "$1.0000" beside the
    // "$1.00" of a dollar (found by probing costs).
    [Theory]
    [InlineData(0.99996, "$1.00")]
    [InlineData(0.99994, "$0.9999")]
    [InlineData(1.0, "$1.00")]
    public void AnAmountThatRoundsToADollarIsWrittenInCents(double usd, string expected)
    {
        Format.Usd(usd).Should().Be(expected);
    }

    // Bug: a floor was rounded to the nearest cent: a known $9.1293 beside unpriced calls read "≥ $9.13", more than is
    // known, since the unpriced calls may cost nothing (found by probing costs).
    [Theory]
    [InlineData(9.1293, "$9.12")]
    [InlineData(200_000_017.1293, "$200,000,017.12")]
    [InlineData(9.13, "$9.13")]
    [InlineData(0.99996, "$0.9999")]
    [InlineData(0.000015, "<$0.0001")]
    public void AFloorIsRoundedDownNeverUp(double usd, string expected)
    {
        Format.UsdFloor(usd).Should().Be(expected);
        ReportContent.Cost(usd, unpricedCalls: 1).Should().Be("≥\u00a0" + expected, "the tables, tiles and findings write floors so");
    }

    // Bug: an output speed read "5000.0" in the tables and "mean 5000.0 tokens/s", where every count was grouped
    // (found by probing the report).
    [Theory]
    [InlineData(5000.0, "5,000.0")]
    [InlineData(68.59290580220812, "68.6")]
    [InlineData(null, "n/a")]
    public void AMeasuredQuantityIsGroupedAsCountsAre(double? value, string expected)
    {
        Format.Number(value).Should().Be(expected);
    }

    // Bug: a median output speed of 0.000116 tokens/s read "0.0", as if the model wrote nothing (found by probing the
    // report); like a share or a duration, a measured quantity that is not 0 is never written as 0.
    [Theory]
    [InlineData(0.000116, "0.00012")]
    [InlineData(0.04, "0.040")]
    [InlineData(0.05, "0.1")]
    [InlineData(0.0, "0.0")]
    public void AMeasuredQuantityTooSmallForOneDecimalIsNotWrittenAsZero(double value, string expected)
    {
        Format.Number(value).Should().Be(expected);
    }

    // Bug: a p50 of half a day read "45281.7 s", without the thousands separator every count has.
    [Theory]
    [InlineData(0.4567, "0.46\u00a0s")]
    [InlineData(0.0034, "0.0034\u00a0s")]
    [InlineData(0.0005, "0.00050\u00a0s")]
    [InlineData(0.00002, "0.000020\u00a0s")]
    [InlineData(0.0, "0.00\u00a0s")]
    [InlineData(9.994, "9.99\u00a0s")]
    [InlineData(12.345, "12.3\u00a0s")]
    [InlineData(999.94, "999.9\u00a0s")]
    [InlineData(1234.6, "1,235\u00a0s")]
    [InlineData(45281.7, "45,282\u00a0s")]
    [InlineData(null, "n/a")]
    public void DurationsKeepFewerDecimalsAsTheyGrowAndGroupThousands(double? seconds, string expected)
    {
        Format.Seconds(seconds).Should().Be(expected);
    }

    // Bug: a finding read "31.4 s → 31.7 s (+0.39 s)": the change of the unrounded values, which does not add up on the
    // page (found by probing the report).
    [Theory]
    [InlineData(31.36, 31.74, "+0.3\u00a0s")]
    [InlineData(31.74, 31.44, "−0.3\u00a0s")]
    [InlineData(9.994, 10.41, "+0.4\u00a0s")]
    [InlineData(0.456, 0.9, "+0.44\u00a0s")]
    [InlineData(998.0, 1234.6, "+237\u00a0s")]
    [InlineData(2.0, 2.0, "+0.00\u00a0s")]
    public void AChangeOfDurationsIsTheDifferenceOfTheWrittenValues(double before, double after, string expected)
    {
        Format.SecondsChange(before, after).Should().Be(expected);
    }

    // Bug: the token tile read "92.7k" in one report and "417.58M" in another: one decimal for thousands, two for millions.
    [Theory]
    [InlineData(9_999, "9,999")]
    [InlineData(92_745, "92.7k")]
    [InlineData(874_900, "875k")]
    [InlineData(999_950, "1.00M")]
    // Bug: "34M" for 34,034,266 and "5M" for 5,000,664: trailing zeros dropped, so not three digits (found by probing).
    [InlineData(34_034_266, "34.0M")]
    [InlineData(5_000_664, "5.00M")]
    [InlineData(10_000, "10.0k")]
    [InlineData(8_640_000, "8.64M")]
    [InlineData(417_580_000, "418M")]
    [InlineData(180_554_700_000, "181B")]
    [InlineData(1_234_000_000_000, "1.23T")]
    public void LargeCountsAreCompactedToThreeSignificantDigits(long count, string expected)
    {
        Format.Compact(count).Should().Be(expected);
    }
}
