using LlmLog.Report;

namespace LlmLog.Tests.Report;

/// <summary>How the report writes amounts of money.</summary>
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
}
