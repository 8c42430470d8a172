using LlmLog.Report;

namespace LlmLog.Tests.Report;

public sealed class ChartPeriodTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);

    private static IEnumerable<(DateOnly Day, long Calls)> Daily(DateOnly first, int days, long calls = 100) =>
        Enumerable.Range(0, days).Select(i => (first.AddDays(i), calls));

    [Fact]
    public void ADayDecadesBeforeAYearOfDataIsLeftOutAndItsDistanceIsInYears()
    {
        var days = Daily(new DateOnly(2024, 1, 1), 366).Append((new DateOnly(1970, 1, 1), 1L));

        var period = ChartPeriod.Of(days, Today);

        (period.First, period.Last).Should().Be((new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)));
        period.LeftOut.Should().Equal(new DayStretch(new DateOnly(1970, 1, 1), new DateOnly(1970, 1, 1), 1));
        period.DistanceOf(period.LeftOut[0]).Should().Be("54 years");
    }

    [Fact]
    public void StrayDaysOnBothSidesAreLeftOutAndTheBusiestStretchIsKept()
    {
        var days = Daily(new DateOnly(2025, 2, 1), 14)
            .Append((new DateOnly(2025, 9, 1), 3L)).Append((new DateOnly(2025, 9, 2), 2L))
            .Append((new DateOnly(2024, 11, 15), 1L));

        var period = ChartPeriod.Of(days, Today);

        (period.First, period.Last).Should().Be((new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 14)));
        period.LeftOut.Should().Equal(
            new DayStretch(new DateOnly(2024, 11, 15), new DateOnly(2024, 11, 15), 1),
            new DayStretch(new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 2), 5));
        period.LeftOutCalls.Should().Be(6);
        period.DistanceOf(period.LeftOut[0]).Should().Be("2 months");
        period.DistanceOf(period.LeftOut[1]).Should().Be("6 months");
    }

    [Fact]
    public void APauseShorterThanTheDataBesideItKeepsEveryDayInThePeriod()
    {
        // Three months, a two-month pause, three more months: a break in use, not a stray timestamp.
        var days = Daily(new DateOnly(2024, 1, 1), 91).Concat(Daily(new DateOnly(2024, 6, 1), 91, calls: 50));

        var period = ChartPeriod.Of(days, Today);

        (period.First, period.Last).Should().Be((new DateOnly(2024, 1, 1), new DateOnly(2024, 8, 30)));
        period.LeftOut.Should().BeEmpty();
    }

    [Fact]
    public void ShortPausesNeverSplitTheDataHoweverFewItsDays()
    {
        var days = new[] { (new DateOnly(2025, 1, 1), 1L), (new DateOnly(2025, 1, 30), 1L) };

        ChartPeriod.Of(days, Today).LeftOut.Should().BeEmpty();
    }

    // Bug: the newest week, after a 40-day pause in use, was left out of every chart over time and called a
    // timestamp error, because the pause was longer than the fortnight before it (found by probing the report).
    [Fact]
    public void TheNewestDaysAfterALongPauseAreDrawnUnlessTheyLieInTheFuture()
    {
        var days = Daily(new DateOnly(2025, 1, 3), 15).Concat(Daily(new DateOnly(2025, 2, 26), 8, calls: 3));

        var period = ChartPeriod.Of(days, Today);
        var future = ChartPeriod.Of(days, today: new DateOnly(2025, 2, 1));

        (period.First, period.Last).Should().Be((new DateOnly(2025, 1, 3), new DateOnly(2025, 3, 5)));
        period.LeftOut.Should().BeEmpty();
        future.LeftOut.Should().Equal(new DayStretch(new DateOnly(2025, 2, 26), new DateOnly(2025, 3, 5), 24));
    }

    // Bug: with one call on each side the tie went to the later one, of 2205, and the period ran from 2025 to 2205, every
    // daily bar a sliver (found by probing the report).
    [Fact]
    public void ACallInTheFutureIsNeverTheStretchTheOthersAreDrawnAroundEvenOnATie()
    {
        var days = new[] { (new DateOnly(2025, 3, 1), 1L), (new DateOnly(2205, 3, 1), 1L) };

        var period = ChartPeriod.Of(days, Today);

        (period.First, period.Last).Should().Be((new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1)));
        period.LeftOut.Should().Equal(new DayStretch(new DateOnly(2205, 3, 1), new DateOnly(2205, 3, 1), 1));
    }

    // Bug: a third of three calls is more than the 1 % share that makes a far stretch data: the call of 1970 joined, and the
    // report said "No call on 20,147 days inside the period" (found by probing the report).
    [Fact]
    public void ALoneCallDecadesAwayIsLeftOutHoweverFewTheCalls()
    {
        var days = new[] { (new DateOnly(1970, 1, 1), 1L), (new DateOnly(2025, 3, 1), 1L), (new DateOnly(2025, 3, 2), 1L) };

        var period = ChartPeriod.Of(days, Today);

        (period.First, period.Last).Should().Be((new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 2)));
        period.LeftOut.Should().Equal(new DayStretch(new DateOnly(1970, 1, 1), new DateOnly(1970, 1, 1), 1));
    }

    [Fact]
    public void AFarStretchHoldingAShareOfTheCallsIsDrawnNotTakenForAStrayTimestamp()
    {
        // Two equal halves 35 days apart: half the calls were hidden.
        var days = Daily(new DateOnly(2024, 3, 1), 20).Concat(Daily(new DateOnly(2024, 5, 1), 20));
        var older = Daily(new DateOnly(2024, 1, 1), 10, calls: 10).Concat(Daily(new DateOnly(2024, 6, 1), 20));

        ChartPeriod.Of(days, Today).LeftOut.Should().BeEmpty();
        ChartPeriod.Of(older, Today).LeftOut.Should().BeEmpty("100 of 2,100 calls are more than a stray");
    }
}
