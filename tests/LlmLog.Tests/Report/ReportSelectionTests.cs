using LlmLog.Report;

namespace LlmLog.Tests.Report;

public sealed class ReportSelectionTests
{
    [Fact]
    public void AUtcDayIsSelectedWithTheDaysItself()
    {
        var s = ReportSelection.Create(new DateOnly(2025, 2, 20), new DateOnly(2025, 2, 21), null, "UTC");

        s.FromUtcDay.Should().Be(new DateTime(2025, 2, 20));
        s.ToUtcDay.Should().Be(new DateTime(2025, 2, 21));
    }

    // Rejects are kept by UTC day; a local day overlaps two of them. Each UTC day goes to the local day that holds its
    // noon, so the reports of consecutive local days share no UTC day and count each rejected record once.
    [Theory]
    [InlineData("America/New_York", "2025-02-20", "2025-02-20")]
    [InlineData("Asia/Tokyo", "2025-02-20", "2025-02-20")]
    [InlineData("Pacific/Kiritimati", "2025-02-19", "2025-02-19")]
    public void ALocalDayTakesTheOneUtcDayWhoseNoonItHolds(string zone, string first, string last)
    {
        var day = new DateOnly(2025, 2, 20);

        var s = ReportSelection.Create(day, day, null, zone);
        var next = ReportSelection.Create(day.AddDays(1), day.AddDays(1), null, zone);

        s.FromUtcDay.Should().Be(DateTime.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        s.ToUtcDay.Should().Be(DateTime.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
        next.FromUtcDay.Should().Be(s.ToUtcDay.AddDays(1));
    }

    [Fact]
    public void AllDataSelectsEveryUtcDayACallOrRejectMayHave()
    {
        var s = ReportSelection.Create(null, null, null, "America/New_York");

        s.FromUtcDay.Should().Be(new DateTime(1970, 1, 1));
        s.ToUtcDay.Should().Be(new DateTime(2999, 12, 31));
    }
}
