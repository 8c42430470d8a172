using LlmLog.Report;
using LlmLog.Transform;

namespace LlmLog.Tests.Report;

public sealed class FindingsTests
{
    private static List<ReportDay> Days(params (double Tokens, double Latency)[] values) =>
        values.Select((v, i) => new ReportDay(new DailyMetrics { Day = new DateOnly(2025, 1, 1).AddDays(i), Calls = 10, AvgLatencyS = v.Latency, P50LatencyS = v.Latency }) { AvgTokensPerCall = v.Tokens }).ToList();

    [Fact]
    public void LatencyThatFollowsLargeCallsIsReportedWithItsStrength()
    {
        // Latency on day i+1 tracks tokens on day i.
        double[] tokens = [100, 900, 200, 800, 150, 950, 300, 700, 120, 880];
        var days = Days(tokens.Select((t, i) => (t, i == 0 ? 1.0 : tokens[i - 1] / 100.0)).ToArray());

        var finding = Findings.NextDayLatency(days);

        finding.Should().Contain("it rises: a strong positive correlation").And.Contain("r = 1.00").And.Contain("9 day pairs")
            .And.Contain(", p < 0.001)", "a p-value too small for three decimals is not \"p = 0.000\"");
    }

    [Fact]
    public void ARunCutShortWhileItsFileWasWrittenIsNoMissingInputOnceALaterRunReadTheWholeFile()
    {
        // The report kept saying "the records after the cut are missing" after the whole file had loaded.
        var at = new DateTime(2025, 1, 2, 3, 0, 0);
        var completed = new IngestRunRow(1, "/exports/today.jsonl", at, "partial", 9, 8, 0, 1, 0, "record 9 is cut off", CompletedByRun: 2);
        var cut = new IngestRunRow(3, "/exports/other.jsonl", at, "partial", 5, 4, 0, 1, 0, "record 5 is cut off");

        var findings = new List<string>();
        Findings.IncompleteInputs([completed, cut], findings);

        findings.Should().ContainSingle().Which.Should().Contain("Ingest run 3 of /exports/other.jsonl").And.Contain("cut short");
    }

    [Fact]
    public void ARunResolvedByHandIsNoMissingInputAndAnOpenOneIsToldHowToResolveIt()
    {
        var at = new DateTime(2025, 1, 2, 3, 0, 0);
        var resolved = new IngestRunRow(1, "/exports/moved.jsonl", at, "partial", 9, 8, 0, 1, 0, "record 9 is cut off")
        {
            ResolvedAt = at.AddDays(1), ResolvedNote = "the rest loaded from /archive/moved.jsonl",
        };
        var cut = new IngestRunRow(1234, "/exports/other.jsonl", at, "partial", 5, 4, 0, 1, 0, "record 5 is cut off");

        var findings = new List<string>();
        Findings.IncompleteInputs([resolved, cut], findings);

        findings.Should().ContainSingle().Which.Should().Contain("Ingest run 1,234 of /exports/other.jsonl")
            .And.Contain("llmlog runs resolve 1234 --note \"...\" says so", "the id is given as the command takes it, without a group separator");
    }

    // Bug: the advice for a run that could not open its file was to ingest the bytes it read, which it had none of; what
    // completes it is a read of the file unchanged (found by review).
    [Fact]
    public void ARunThatCouldNotOpenItsFileIsToldWhatCompletesIt()
    {
        var at = new DateTime(2025, 1, 2, 3, 0, 0);
        var unopened = new IngestRunRow(4, "/exports/locked.jsonl", at, "failed", 0, 0, 0, 0, 0, "permission denied") { ReadBytes = false };
        var cut = new IngestRunRow(3, "/exports/other.jsonl", at, "partial", 5, 4, 0, 1, 0, "record 5 is cut off");

        var findings = new List<string>();
        Findings.IncompleteInputs([unopened, cut], findings);

        findings[0].Should().Contain("Ingest run 4").And.Contain("the run that finds it unchanged (same size and modification time) marks this one complete")
            .And.NotContain("the bytes this one read");
        findings[1].Should().Contain("Ingest run 3").And.Contain("the run that reads the bytes this one read, and the rest, marks it complete");
    }

    [Fact]
    public void APartialEdgeDayRankedForWantOfWholeDaysSaysItIsPartial()
    {
        // With three days of data only the middle one is whole; the busiest and quietest were two partial edge days,
        // named with no word that they hold only part of a day (found by probing the report).
        var days = Days((100, 1), (100, 1), (100, 1));
        days[0] = days[0] with { Calls = 40, Partial = true };
        days[1] = days[1] with { Calls = 60 };
        days[2] = days[2] with { Calls = 90, Partial = true };

        var findings = new List<string>();
        Findings.BusiestAndQuietest(days, findings, partialLeftOut: false);

        findings.Should().ContainSingle().Which.Should().StartWith("Busiest day: 2025-01-03 (partial) with 90 calls").And.Contain("quietest: 2025-01-01 (partial) with 40 calls");
    }

    // Bug: "Busiest day: 2024-03-03 with 60 calls … quietest day with calls: 2024-04-11 with 20 calls" named one of six
    // days with 60 calls and one of four with 20, while the chart's caption said "peak 60 on 6 days" (found by probing the
    // report).
    [Fact]
    public void DaysThatTieForBusiestOrQuietestAreNamedTogether()
    {
        long[] calls = [60, 40, 20, 60, 45, 60, 20, 60, 50, 60, 60];
        var days = Days(calls.Select(_ => (100.0, 1.0)).ToArray()).Select((d, i) => d with { Calls = calls[i] }).ToList();

        var findings = new List<string>();
        Findings.BusiestAndQuietest(days, findings, partialLeftOut: false);

        findings.Should().ContainSingle().Which.Should().Be(
            "Busiest days: 2025-01-01, 2025-01-04, 2025-01-06 and 3 more days, with 60 calls each (1.2× the daily mean of 48.6); "
            + "quietest days: 2025-01-03 and 2025-01-07, with 20 calls each.");
    }

    [Fact]
    public void TheLargestP95ChangeAddsUpFromTheValuesItWrites()
    {
        // "31.4 s → 31.7 s (+0.39 s)": the change came from the unrounded values (found by probing the report).
        var days = Days((100, 1), (100, 1));
        days[0] = days[0] with { P95LatencyS = 31.36 };
        days[1] = days[1] with { P95LatencyS = 31.74 };

        var findings = new List<string>();
        Findings.LargestP95Change(days, findings);

        findings.Should().ContainSingle().Which.Should().Contain("31.4\u00a0s → 31.7\u00a0s (+0.3\u00a0s, +1%)");
    }

    [Fact]
    public void DaysWithoutAnyCallInsideThePeriodAreAFinding()
    {
        // Ten days, an 18-day pause, ten days: the report named the quietest day and said nothing of the 18 without a call.
        var days = Days(Enumerable.Repeat((100.0, 1.0), 20).ToArray());
        for (var i = 10; i < 20; i++) days[i] = days[i] with { Day = days[i].Day.AddDays(18) };
        days.RemoveAt(16); // 2025-02-04

        var findings = new List<string>();
        Findings.DaysWithoutCalls(days, findings);

        findings.Should().ContainSingle().Which.Should().StartWith("No call on 19 days inside the period: 2025-01-11 to 2025-01-28 (18 days), 2025-02-04.");
    }

    [Fact]
    public void WithDaysWithoutCallsTheQuietestDayIsTheQuietestWithCallsAndTheMeanIsTheirs()
    {
        // "quietest: 2025-02-01 with 1 call" while the next finding listed 8 days without a call, and "4 calls (2.2× the
        // daily mean of 2)" did not add up: the mean was rounded to a whole call (found by probing the report).
        var days = Days((100, 1), (100, 1), (100, 1), (100, 1));
        days = [days[0] with { Calls = 4 }, days[1] with { Calls = 1 }, days[2] with { Calls = 2, Day = days[2].Day.AddDays(5) }, days[3] with { Calls = 2, Day = days[3].Day.AddDays(5) }];

        var findings = new List<string>();
        Findings.BusiestAndQuietest(days, findings, partialLeftOut: false);

        findings.Should().ContainSingle().Which.Should()
            .Be("Busiest day: 2025-01-01 with 4 calls (1.8× the daily mean of 2.3 over the 4 days with calls); quietest day with calls: 2025-01-02 with 1 call.");
    }

    // Bug: "the daily mean of 3,819 over days with calls" read as the mean of all 16 days of the period, where it was that
    // of the 12 whole ones (found by recomputing the report's numbers). The mean says over how many days it is taken.
    [Fact]
    public void TheDailyMeanNamesTheWholeDaysItIsTakenOverWhenPartialEdgeDaysAreLeftOut()
    {
        var days = Days((100, 1), (100, 1), (100, 1));
        days = [days[0] with { Calls = 6 }, days[1] with { Calls = 2 }, days[2] with { Calls = 4 }];

        var findings = new List<string>();
        Findings.BusiestAndQuietest(days, findings, partialLeftOut: true);

        findings.Should().ContainSingle().Which.Should()
            .Be("Busiest day: 2025-01-01 with 6 calls (1.5× the daily mean of 4.0 over the 3 whole days); quietest: 2025-01-02 with 2 calls (partial edge days left out).");
    }

    [Fact]
    public void APartialEdgeDayWithFewCallsIsLeftOutOfTheP95ChangeAndTheFindingSaysSo()
    {
        // The busiest day said "(partial edge days left out)"; the p95 change left them out without a word (found by probing).
        var days = P95s(20.2, 24.1, 90);
        days[2] = days[2] with { Partial = true, Calls = 4 };

        var findings = new List<string>();
        Findings.LargestP95Change(days, findings);

        findings.Should().Equal("Largest day-over-day rise of p95 latency: 2025-01-01 → 2025-01-02, 20.2\u00a0s → 24.1\u00a0s (+3.9\u00a0s, +19%) (partial edge days with fewer calls left out).");
    }

    [Fact]
    public void AnOutageOnTheNewestDayOfAnExportIsTheLargestRiseThoughThatDayIsPartial()
    {
        // The newest day of an export is always partial, and partial days were left out: p95 tripled on it, with a whole
        // day's calls, and the finding named a −20 % two weeks before (found by probing the report).
        var days = P95s(3.99, 3.18, 3.5, 3.68, 10.1);
        days[^1] = days[^1] with { Partial = true };

        var findings = new List<string>();
        Findings.LargestP95Change(days, findings);

        findings.Should().ContainSingle().Which.Should().StartWith("Largest day-over-day rise of p95 latency: 2025-01-04 → 2025-01-05 (partial), 3.68\u00a0s → 10.1\u00a0s (+6.4\u00a0s, +174%); largest fall: 2025-01-01 → 2025-01-02");
    }

    [Fact]
    public void AnOutageAndItsRecoveryAreBothSaid()
    {
        // The outage's rise lost to its recovery by 0.02 s, and the one latency finding read as an improvement (found by probing).
        var findings = new List<string>();
        Findings.LargestP95Change(P95s(4.1, 4.06, 9.01, 4.04, 4.1), findings);

        findings.Should().Equal("Largest day-over-day rise of p95 latency: 2025-01-02 → 2025-01-03, 4.06\u00a0s → 9.01\u00a0s (+4.95\u00a0s, +122%); "
            + "largest fall: 2025-01-03 → 2025-01-04, 9.01\u00a0s → 4.04\u00a0s (−4.97\u00a0s, −55%).");
    }

    [Fact]
    public void AStepAcrossAPauseInTheDataIsComparedWithTheLastDayBeforeIt()
    {
        // A week without calls, then p95 three times higher: only calendar neighbours were compared (found by probing).
        var days = P95s(3.5, 3.55, 10.6, 10.9);
        days[2] = days[2] with { Day = days[2].Day.AddDays(7) };
        days[3] = days[3] with { Day = days[3].Day.AddDays(7) };

        var findings = new List<string>();
        Findings.LargestP95Change(days, findings);

        findings.Should().ContainSingle().Which.Should().StartWith("Largest day-over-day rise of p95 latency: 2025-01-02 → 2025-01-10 (after 7 days without calls), 3.55\u00a0s → 10.6\u00a0s");
    }

    [Fact]
    public void ADayWithCallsButNoLatencyBetweenTwoComparedDaysIsNotCalledAPause()
    {
        // "(after 1 day without calls)" was said of a day whose calls had no start and end (found by review).
        var days = P95s(3.0, 5.0, 9.0);
        days[1] = days[1] with { P95LatencyS = null };

        var findings = new List<string>();
        Findings.LargestP95Change(days, findings);

        findings.Should().Equal("Largest day-over-day rise of p95 latency: 2025-01-01 → 2025-01-03 (1 day between), 3.00\u00a0s → 9.00\u00a0s (+6.00\u00a0s, +200%).");
    }

    [Fact]
    public void AP95OfZeroIsNoBaseForAChangeAndNoDayWithoutOne()
    {
        // 0 s one day and 4 s the next read "No day-over-day change of p95 latency: 0.00 s on every day" (found by review).
        var findings = new List<string>();
        Findings.LargestP95Change(P95s(0, 4), findings);

        findings.Should().BeEmpty();
    }

    [Fact]
    public void AShareOfCallsWithoutUsageThatMovesFromDayToDayIsSaidToMoveTheTotals()
    {
        // Streaming, which reports no usage, went from 30 % to 80 % of calls, and the daily tokens and cost fell by three
        // quarters with nothing said of why (found by probing the report).
        var days = Days((100, 1), (100, 1), (100, 1), (100, 1)).Select((d, i) => d with { Calls = 100, CallsWithUsage = i < 2 ? 70 : 20 }).ToList();
        var k = new Kpis(Calls: 400, TotalTokens: 1, EstimatedCostUsd: null, CallsWithUsage: 180, UnpricedCalls: 0, P50LatencyS: null, P95LatencyS: null,
            P95TtftStreamedS: null, StreamedCalls: 0, RejectedRecords: 0, FlaggedCalls: 0, AvgOutputTokensPerS: null, CallsWithStream: 0,
            CallsWithTotalTokens: 180);

        var findings = new List<string>();
        Findings.MissingUsage(k, days, CostSource.Estimated, findings);
        Findings.MissingUsage(k, days, CostSource.Logged, findings);

        findings[0].Should().EndWith("are in no total. The share ranges from 30% on 2025-01-01 to 80% on 2025-01-03, and the daily token and cost totals move with it.");
        findings[1].Should().EndWith("The share ranges from 30% on 2025-01-01 to 80% on 2025-01-03, and the daily token totals move with it.", "a logged cost stays with its call");
    }

    [Fact]
    public void TheP95RiseNamesTheModelWhoseOwnP95RoseMost()
    {
        // An outage of one model read as the whole service's: only a report per model told them apart (found by probing).
        var days = P95s(4.1, 9.0);
        days[0] = days[0] with { Calls = 100, CallsByModel = Mix(50, 50), P95LatencyByModel = new Dictionary<string, double> { ["mini"] = 4.2, ["big"] = 4.0 } };
        days[1] = days[1] with { Calls = 100, CallsByModel = Mix(50, 50), P95LatencyByModel = new Dictionary<string, double> { ["mini"] = 4.1, ["big"] = 12.0 } };

        var findings = new List<string>();
        Findings.LargestP95Change(days, findings);

        findings.Should().Equal("Largest day-over-day rise of p95 latency: 2025-01-01 → 2025-01-02, 4.10\u00a0s → 9.00\u00a0s (+4.90\u00a0s, +120%), led by big (4.00\u00a0s → 12.0\u00a0s).");

        static Dictionary<string, long> Mix(long mini, long big) => new() { ["mini"] = mini, ["big"] = big };
    }

    [Fact]
    public void AMoveOfEveryModelAlikeOrOfAModelWithFewCallsNamesNoModel()
    {
        // Found by review: every model slowing alike blamed the first by name, and a model with 1 call of the earlier day
        // (its p95 that one latency) was named.
        var alike = P95s(1.0, 5.0);
        alike[0] = alike[0] with { Calls = 100, CallsByModel = new Dictionary<string, long> { ["a"] = 50, ["b"] = 50 }, P95LatencyByModel = new Dictionary<string, double> { ["a"] = 1.0, ["b"] = 1.0 } };
        alike[1] = alike[1] with { Calls = 100, CallsByModel = new Dictionary<string, long> { ["a"] = 50, ["b"] = 50 }, P95LatencyByModel = new Dictionary<string, double> { ["a"] = 5.0, ["b"] = 5.0 } };
        var few = P95s(4.0, 8.0);
        few[0] = few[0] with { Calls = 200, CallsByModel = new Dictionary<string, long> { ["a"] = 1, ["b"] = 199 }, P95LatencyByModel = new Dictionary<string, double> { ["a"] = 0.2, ["b"] = 4.0 } };
        few[1] = few[1] with { Calls = 200, CallsByModel = new Dictionary<string, long> { ["a"] = 100, ["b"] = 100 }, P95LatencyByModel = new Dictionary<string, double> { ["a"] = 5.0, ["b"] = 8.0 } };

        Findings.LedBy(alike[0], alike[1]).Should().BeEmpty();
        Findings.LedBy(few[0], few[1]).Should().BeEmpty();
    }

    [Fact]
    public void AP95MoveNamesNoModelWhenTheOtherModelsMovedMoreTheOtherWay()
    {
        // Found by probing the report: a fall of the day's p95 by a fifth was "led by" a model whose own p95 moved 0.1 s the
        // same way, while the two other large models rose by 2.1 s and 1.5 s.
        var days = P95s(36.7, 28.9);
        var calls = new Dictionary<string, long> { ["a"] = 40, ["b"] = 30, ["c"] = 30 };
        days[0] = days[0] with { Calls = 100, CallsByModel = calls, P95LatencyByModel = new Dictionary<string, double> { ["a"] = 20.84, ["b"] = 9.42, ["c"] = 16.98 } };
        days[1] = days[1] with { Calls = 100, CallsByModel = calls, P95LatencyByModel = new Dictionary<string, double> { ["a"] = 20.74, ["b"] = 11.52, ["c"] = 18.53 } };

        Findings.LedBy(days[0], days[1]).Should().BeEmpty();
    }

    private static List<ReportDay> P95s(params double[] p95s) =>
        Days(p95s.Select(_ => (100.0, 1.0)).ToArray()).Select((d, i) => d with { P95LatencyS = p95s[i] }).ToList();

    // Bug: a p95 from 50,000 s to 900,000,000 s and back read "+1799900%" and "−100%", a fall of 99.994 % (found by
    // probing the report).
    [Fact]
    public void AHugeChangeOfP95IsWrittenGroupedAndAFallOfNearlyAllIsNotRoundedToAHundredPercent()
    {
        var findings = new List<string>();
        Findings.LargestP95Change(P95s(50_000, 900_000_000, 50_000), findings);

        findings.Should().ContainSingle().Which.Should().Contain("+1,799,900%").And.Contain("−99.99%").And.NotContain("100%");
    }

    [Fact]
    public void DaysWithinAFewPercentOfTheMeanAreSteadyNotBusiestAndQuietest()
    {
        // "Busiest day: 2025-03-18 with 201 calls (1.0× the daily mean of 200)" (found by probing the report).
        var days = Days((100, 1), (100, 1), (100, 1)).Select((d, i) => d with { Calls = 199 + i }).ToList();

        var findings = new List<string>();
        Findings.BusiestAndQuietest(days, findings, partialLeftOut: false);

        findings.Should().Equal("Calls per day hold steady: 199 to 201 calls on each of the 3 days.");
    }

    [Fact]
    public void DaysThatAllHaveCallsGiveNoGapFinding()
    {
        var findings = new List<string>();
        Findings.DaysWithoutCalls(Days((100, 1), (100, 1), (100, 1)), findings);

        findings.Should().BeEmpty();
    }

    [Fact]
    public void OneCallTimedAtDaysDoesNotDecideWhetherLatencyFollowsLargeCalls()
    {
        // One call of 2,000,000 s after a day of large calls turned "no evidence" into "yes, moderate" (found by probing
        // the report): the mean latency of its day rose a thousandfold, its median did not move.
        var days = Days((100, 2), (300, 2.1), (200, 1.9), (250, 2.05), (150, 2.0), (950, 1.95), (300, 2.0), (200, 2.1), (150, 2.0));
        days[6] = days[6] with { AvgLatencyS = 2_000.0 };

        Findings.NextDayLatency(days).Should().Contain("no evidence").And.Contain("the next day's median latency");
    }

    [Fact]
    public void DaysWithAsManyCallsEachAreNotNamedBusiestAndQuietestAtOnce()
    {
        // A job making 50 calls a day read "Busiest day: 2025-01-01 with 50 calls; quietest: 2025-01-01 with 50 calls".
        var days = Days((100, 1), (100, 1), (100, 1));

        var findings = new List<string>();
        Findings.BusiestAndQuietest(days, findings, partialLeftOut: false);

        findings.Should().Equal("Every one of the 3 days has 10 calls.");
    }

    [Fact]
    public void AP95LatencyThatNeverChangesIsNotCalledTheLargestChange()
    {
        // "Largest day-over-day change of p95 latency: … 19.5 s → 19.5 s (+0.00 s, +0%)" (found by probing the report).
        var days = Days((100, 1), (100, 1), (100, 1)).Select(d => d with { P95LatencyS = 19.5 }).ToList();

        var findings = new List<string>();
        Findings.LargestP95Change(days, findings);

        findings.Should().Equal("No day-over-day change of p95 latency: 19.5\u00a0s on every day.");
    }

    [Fact]
    public void UnrelatedSeriesGiveNoEvidence()
    {
        var days = Days((100, 2), (900, 2.1), (200, 1.9), (800, 2.05), (150, 2.0), (950, 1.95), (300, 2.0), (700, 2.1));

        Findings.NextDayLatency(days).Should().Contain("no evidence").And.Contain("Pearson r =");
    }

    [Fact]
    public void ANegativeCorrelationIsWrittenWithAMinusSignLikeEveryOtherNegativeNumber()
    {
        double[] tokens = [100, 900, 200, 800, 150, 950, 300, 700, 120, 880];
        var days = Days(tokens.Select((t, i) => (t, i == 0 ? 1.0 : 20 - tokens[i - 1] / 100.0)).ToArray());

        Findings.NextDayLatency(days).Should().Contain("r = −1.00").And.NotContain("r = -");
    }

    [Fact]
    public void TooFewDaysAreNotTested()
    {
        Findings.NextDayLatency(Days((100, 1), (200, 2), (300, 3))).Should().Contain("not testable, 2 pairs");
    }

    [Fact]
    public void DaysWithAGapDoNotPair()
    {
        var days = Days((100, 1), (200, 2), (300, 3), (400, 4), (500, 5), (600, 6));
        days[3] = days[3] with { Day = days[3].Day.AddDays(10) };
        days[4] = days[4] with { Day = days[4].Day.AddDays(10) };
        days[5] = days[5] with { Day = days[5].Day.AddDays(10) };

        Findings.NextDayLatency(days).Should().Contain("not testable, 4 pairs");
    }

    [Theory]
    [InlineData(0.5, 20, 0.0248)]
    [InlineData(0.1, 50, 0.4896)]
    [InlineData(-0.6, 12, 0.0391)]
    public void PValuesMatchStudentsT(double r, int n, double expected)
    {
        Stats.TwoSidedP(r, n).Should().BeApproximately(expected, 5e-4);
    }
}
