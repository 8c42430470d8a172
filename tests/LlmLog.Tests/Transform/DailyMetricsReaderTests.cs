using System.Globalization;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>Reading daily metrics: local days re-bucketed from the call rows, model filters, partial edge days.</summary>
public sealed class DailyMetricsReaderTests
{
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ACallAt2330UtcLandsOnTheNextDayInTokyoAndTheSameDayInNewYork(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        TransformFixtures.Ingest(target, folder, ("late.jsonl", [TransformFixtures.Call("2024-12-13 23:30:00", prompt: 1, completion: 1, tokens: 2)]));

        Days(target, "UTC").Should().Equal(new DateOnly(2024, 12, 13));
        Days(target, "Asia/Tokyo").Should().Equal(new DateOnly(2024, 12, 14));
        Days(target, "America/New_York").Should().Equal(new DateOnly(2024, 12, 13));
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task AWindowsZoneNameIsReadAsItsIanaZoneOnBothEngines(Engine engine)
    {
        // .NET accepted "Tokyo Standard Time" (it maps Windows names), and the database then failed with "time zone
        // not recognized": exit 4, which tells a scheduler to retry.
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        TransformFixtures.Ingest(target, folder, ("late.jsonl", [TransformFixtures.Call("2024-12-13 23:30:00", prompt: 1, completion: 1, tokens: 2)]));

        Days(target, "Tokyo Standard Time").Should().Equal(new DateOnly(2024, 12, 14));
        DailyMetricsReader.ResolveZone("Eastern Standard Time").Id.Should().Be("America/New_York");
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ZonesNamedLikeAbbreviationsKeepTheirSummerTimeOnBothEngines(Engine engine)
    {
        // PostgreSQL read CET as its abbreviation, +01:00 all year: 22:30 UTC in July fell on July 1 there and on
        // July 2 (00:30 CEST) on DuckDB.
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        TransformFixtures.Ingest(target, folder, ("summer.jsonl", [TransformFixtures.Call("2024-07-01 22:30:00", prompt: 1, completion: 1, tokens: 2)]));

        foreach (var zone in new[] { "CET", "MET", "EET" }) Days(target, zone).Should().Equal([new DateOnly(2024, 7, 2)], zone);
        Days(target, "WET").Should().Equal(new DateOnly(2024, 7, 1)); // 23:30 WEST
    }

    [Theory]
    [InlineData("posix/Asia/Kathmandu")]
    [InlineData("right/UTC")]
    [InlineData("posixrules")]
    public void ZoneFilesThatOneEngineDoesNotKnowAreAUsageError(string zone)
    {
        // .NET read them from the system's zone folder, and DuckDB then failed with "Unknown TimeZone" (exit 4).
        var resolve = () => DailyMetricsReader.ResolveZone(zone);

        resolve.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage);
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ADstChangeDayHas23Or25HoursOfCalls(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        // One call at the half hour of every UTC hour around both 2024 changes in New York.
        var spring = HourlyCalls(new DateTime(2024, 3, 9, 0, 30, 0), 4 * 24);
        var autumn = HourlyCalls(new DateTime(2024, 11, 2, 0, 30, 0), 4 * 24);
        TransformFixtures.Ingest(target, folder, ("spring.jsonl", spring), ("autumn.jsonl", autumn));

        var local = TransformFixtures.Daily(target, new DailyMetricsQuery { TimeZone = "America/New_York" }).ToDictionary(d => d.Day, d => d.Calls);

        local[new DateOnly(2024, 3, 9)].Should().Be(24);
        local[new DateOnly(2024, 3, 10)].Should().Be(23, "clocks went forward: the day has 23 hours");
        local[new DateOnly(2024, 3, 11)].Should().Be(24);
        local[new DateOnly(2024, 11, 2)].Should().Be(24);
        local[new DateOnly(2024, 11, 3)].Should().Be(25, "clocks went back: the day has 25 hours");
        local[new DateOnly(2024, 11, 4)].Should().Be(24);
        var zone = DailyMetricsReader.ResolveZone("America/New_York");
        (DailyMetricsReader.LocalDayStartUtc(new DateOnly(2024, 3, 11), zone) - DailyMetricsReader.LocalDayStartUtc(new DateOnly(2024, 3, 10), zone)).Should().Be(TimeSpan.FromHours(23));
        (DailyMetricsReader.LocalDayStartUtc(new DateOnly(2024, 11, 4), zone) - DailyMetricsReader.LocalDayStartUtc(new DateOnly(2024, 11, 3), zone)).Should().Be(TimeSpan.FromHours(25));
    }

    // Bug: a day's start was taken from .NET's answer for local midnight, and .NET sees no gap where a zone changed its
    // standard offset: Bissau went from -01 to +00 at local midnight on 1975-01-01, so 00:40Z, 23:40 on 12-31 there,
    // fell inside --from 1975-01-01, and --from/--to 1974-12-31 lost it (found by probing time zones).
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ADayStartsWhenItsLocalDateDoesWhereTheZoneChangedItsStandardOffsetAtMidnight(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        TransformFixtures.Ingest(target, folder, ("bissau.jsonl",
        [
            TransformFixtures.Call("1974-12-31 20:00:00", prompt: 1, completion: 1, tokens: 2),
            TransformFixtures.Call("1975-01-01 00:40:00", prompt: 1, completion: 1, tokens: 2),
            TransformFixtures.Call("1975-01-01 01:20:00", prompt: 1, completion: 1, tokens: 2),
        ]));

        Calls(target, "Africa/Bissau", new DateOnly(1975, 1, 1)).Should().Equal((new DateOnly(1975, 1, 1), 1L));
        Calls(target, "Africa/Bissau", new DateOnly(1974, 12, 31)).Should().Equal((new DateOnly(1974, 12, 31), 2L));
    }

    // Bug: Samoa skipped 2011-12-30, and --from/--to 2011-12-29 found none of that day's calls (found by probing time zones).
    [Fact]
    public async Task TheDayBeforeADayAZoneSkippedKeepsItsCalls()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(Engine.DuckDb, folder);
        TransformFixtures.LoadPrices(target, folder);
        TransformFixtures.Ingest(target, folder, ("apia.jsonl",
        [
            TransformFixtures.Call("2011-12-30 09:30:00", prompt: 1, completion: 1, tokens: 2),
            TransformFixtures.Call("2011-12-30 10:30:00", prompt: 1, completion: 1, tokens: 2),
        ]));

        Calls(target, "Pacific/Apia", new DateOnly(2011, 12, 29)).Should().Equal((new DateOnly(2011, 12, 29), 1L));
        Calls(target, "Pacific/Apia", new DateOnly(2011, 12, 31)).Should().Equal((new DateOnly(2011, 12, 31), 1L));
    }

    // The starts of days where a zone's clocks did something odd at midnight, from tzdata by hand: Bissau -01 to +00 at
    // 1975-01-01 01:00Z; Samoa -10 to +14 at 2011-12-30 10:00Z, skipping the 30th; Newfoundland back from -02:30 to -03:30
    // at 00:01 local on 2010-11-07 (02:31Z), whose day starts at the first pass through midnight, 02:30Z.
    [Theory]
    [InlineData("Africa/Bissau", "1975-01-01", "1975-01-01T01:00:00")]
    [InlineData("Africa/Bissau", "1974-12-31", "1974-12-31T01:00:00")]
    [InlineData("Pacific/Apia", "2011-12-30", "2011-12-30T10:00:00")]
    [InlineData("Pacific/Apia", "2011-12-31", "2011-12-30T10:00:00")]
    [InlineData("America/St_Johns", "2010-11-07", "2010-11-07T02:30:00")]
    [InlineData("America/New_York", "2024-03-10", "2024-03-10T05:00:00")]
    [InlineData("America/New_York", "2024-03-11", "2024-03-11T04:00:00")]
    public void ADayStartsAtTheInstantTzdataGives(string zone, string day, string startUtc)
    {
        DailyMetricsReader.LocalDayStartUtc(DateOnly.Parse(day, CultureInfo.InvariantCulture), DailyMetricsReader.ResolveZone(zone))
            .Should().Be(DateTime.Parse(startUtc, CultureInfo.InvariantCulture));
    }

    // Every day of these zones from 1970 to 2030, whatever their clocks did at midnight: the day's start is on that day,
    // and the instant before it on an earlier one.
    [Theory]
    [InlineData("Africa/Bissau")]
    [InlineData("Pacific/Apia")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Pacific/Kwajalein")]
    [InlineData("Antarctica/Casey")]
    [InlineData("America/St_Johns")]
    [InlineData("America/Havana")]
    [InlineData("America/Sao_Paulo")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Europe/London")]
    public void EveryLocalDayStartsOnItsOwnDateAndNotBefore(string zoneId)
    {
        var zone = DailyMetricsReader.ResolveZone(zoneId);
        var wrong = new List<string>();
        for (var day = new DateOnly(1970, 1, 2); day <= new DateOnly(2030, 12, 31); day = day.AddDays(1))
        {
            var start = DailyMetricsReader.LocalDayStartUtc(day, zone);
            if (DailyMetricsReader.LocalDay(start, zone) < day || DailyMetricsReader.LocalDay(start.AddTicks(-1), zone) >= day)
                wrong.Add($"{day:yyyy-MM-dd} starts at {start:yyyy-MM-dd HH:mm:ss.fffffff}Z");
        }
        wrong.Should().BeEmpty();
    }

    // Bug: the price tables were read for the UTC days up to and including the day after the selection (its
    // exclusive end taken as a last day), of every model, so the summary named a table that priced none of its calls.
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ThePriceTablesNamedAreThoseThatPricedTheSelectedDaysAndModelOnly(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var (target, old, @new) = await TransformFixtures.TwoPriceTablesWarehouseAsync(engine, folder);

        PricedCalls(target, new DailyMetricsQuery()).Should().Equal(Sorted((old, 3), (@new, 2)));
        PricedCalls(target, new DailyMetricsQuery { To = new DateOnly(2024, 12, 13) }).Should().Equal(Sorted((old, 3)));
        PricedCalls(target, new DailyMetricsQuery { From = new DateOnly(2024, 12, 14) }).Should().Equal(Sorted((@new, 2)));
        PricedCalls(target, new DailyMetricsQuery { Model = "gpt-4o-mini" }).Should().Equal(Sorted((old, 1), (@new, 1)));
        PricedCalls(target, new DailyMetricsQuery { Model = "gpt-4o-mini", To = new DateOnly(2024, 12, 13) }).Should().Equal(Sorted((old, 1)));
        // Tokyo's 2024-12-14 ends at 15:00 UTC, before the calls the new table priced.
        PricedCalls(target, new DailyMetricsQuery { TimeZone = "Asia/Tokyo", To = new DateOnly(2024, 12, 14) }).Should().Equal(Sorted((old, 3)));
        PricedCalls(target, new DailyMetricsQuery { To = new DateOnly(2024, 12, 13), FromCalls = true }).Should().Equal(Sorted((old, 3)));
    }

    private static List<(string Sha256, long PricedCalls)> PricedCalls(DatabaseTarget target, DailyMetricsQuery query)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        return DailyMetricsReader.Read(warehouse, query)!.PriceTables.Select(p => (p.Sha256, p.PricedCalls)).ToList();
    }

    private static List<(string Sha256, long PricedCalls)> Sorted(params (string Sha256, long PricedCalls)[] tables) =>
        tables.OrderBy(t => t.Sha256, StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task MetricsRecomputedFromCallRowsInUtcEqualTheMart(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        TransformFixtures.Ingest(target, folder, ("random.jsonl", RandomCalls.Lines(300).ToArray()));

        var fromMart = TransformFixtures.Daily(target);
        var fromCalls = TransformFixtures.Daily(target, new DailyMetricsQuery { FromCalls = true });

        fromMart.Should().NotBeEmpty();
        TransformFixtures.ShouldMatch(
            fromCalls.Select(d => d.Values()).ToList(),
            fromMart.Select(d => d.Values()).ToList(),
            "sql/metrics/daily_llm_metrics_from_calls.sql must aggregate exactly like sql/marts/010_daily_llm_metrics.sql");
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task TheFirstAndLastDayOfTheDataArePartial(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);

        TransformFixtures.Daily(target).Select(d => d.Partial).Should().Equal(true, false, true);
        // The edges are those of the data, not of the range asked for.
        TransformFixtures.Daily(target, new DailyMetricsQuery { From = new DateOnly(2024, 12, 14), To = new DateOnly(2024, 12, 14) })
            .Single().Partial.Should().BeFalse();
        // In Tokyo the 23:30 UTC call of the 13th moves to the 14th, the first local day is the 13th and the last the 15th.
        TransformFixtures.Daily(target, new DailyMetricsQuery { TimeZone = "Asia/Tokyo" })
            .Select(d => (d.Day.ToString("MM-dd", CultureInfo.InvariantCulture), d.Calls, d.Partial))
            .Should().Equal(("12-13", 3L, true), ("12-14", 2L, false), ("12-15", 2L, true));
    }

    // Bug: the day before and the day after a pause of weeks were taken for whole days, so a day with four hours of
    // calls was named the quietest day of the report (found by probing the report).
    [Fact]
    public async Task TheDaysAroundAPauseOfMoreThanAMonthArePartialLikeTheEdgesOfTheData()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(Engine.DuckDb, folder);
        string[] days = ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-13", "2025-02-20", "2025-02-21"];
        TransformFixtures.Ingest(target, folder, ("paused.jsonl", days.Select(d => TransformFixtures.Call(d + " 12:00:00", prompt: 1, completion: 1, tokens: 2)).ToArray()));

        TransformFixtures.Daily(target).Select(d => (d.Day.ToString("MM-dd", CultureInfo.InvariantCulture), d.Partial))
            .Should().Equal(("01-01", true), ("01-02", false), ("01-03", false), ("01-13", true), ("02-20", true), ("02-21", true));
    }

    // Bug: a pause was looked for among the selected days only, and not at all under --model: the first day after a
    // pause was whole under --from yesterday or --model, and partial without them (found by probing summary).
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ADayBesideAPauseIsPartialWhateverTheSelection(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        string[] days = ["2025-01-01", "2025-01-09", "2025-01-10", "2025-04-01", "2025-04-02", "2025-04-10"];
        TransformFixtures.Ingest(target, folder, ("paused.jsonl", days.Select(d => TransformFixtures.Call(d + " 12:00:00", prompt: 1, completion: 1, tokens: 2)).ToArray()));
        string[] Partial(DailyMetricsQuery query) =>
            [.. TransformFixtures.Daily(target, query).Where(d => d.Partial).Select(d => d.Day.ToString("MM-dd", CultureInfo.InvariantCulture))];

        Partial(new DailyMetricsQuery()).Should().Equal("01-01", "01-10", "04-01", "04-10");
        Partial(new DailyMetricsQuery { From = new DateOnly(2025, 4, 1), To = new DateOnly(2025, 4, 2) }).Should().Equal("04-01");
        Partial(new DailyMetricsQuery { From = new DateOnly(2025, 1, 9), To = new DateOnly(2025, 1, 10) }).Should().Equal("01-10");
        Partial(new DailyMetricsQuery { Model = "gpt-4o-2024-11-20" }).Should().Equal("01-01", "01-10", "04-01", "04-10");
        Partial(new DailyMetricsQuery { TimeZone = "Asia/Tokyo", From = new DateOnly(2025, 4, 1), To = new DateOnly(2025, 4, 2) }).Should().Equal("04-01");
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task AModelFilterTakesAnExactNameOrAFamily(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);

        TransformFixtures.Daily(target, new DailyMetricsQuery { Model = "gpt-4o-mini" }).Select(d => d.Calls).Should().Equal(1L);
        TransformFixtures.Daily(target, new DailyMetricsQuery { Model = "gpt-4o" }).Select(d => d.Calls).Should().Equal(2L, 1L, 2L);
        TransformFixtures.Daily(target, new DailyMetricsQuery { Model = "nothing" }).Should().BeEmpty();
    }

    [Fact]
    public void AnUnknownTimeZoneIsAUsageError()
    {
        var resolve = () => DailyMetricsReader.ResolveZone("Mars/Olympus_Mons");

        resolve.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage).WithMessage("*IANA*");
    }

    // Zone names are long and case-sensitive: "not a known time zone" left the user to find the spelling. (A name in
    // another case only: CommandLineTests, in a process of its own, as .NET finds a zone in any case once it has listed them.)
    [Theory]
    [InlineData("Europe/Berln", "Europe/Berlin")]
    [InlineData("Australia/Adelaid", "Australia/Adelaide")]
    [InlineData("America/New_Yrok", "America/New_York")]
    [InlineData("asia/kolkatta", "Asia/Kolkata")]
    public void AMistypedTimeZoneIsAUsageErrorThatNamesTheZoneMeant(string typed, string meant)
    {
        var resolve = () => DailyMetricsReader.ResolveZone(typed);

        resolve.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage)
            .Which.Message.Should().Be($"--timezone '{typed}' is not a known time zone; did you mean {meant}?");
    }

    private static List<(DateOnly Day, long Calls)> Calls(DatabaseTarget target, string zone, DateOnly day) =>
        TransformFixtures.Daily(target, new DailyMetricsQuery { TimeZone = zone, From = day, To = day }).Select(d => (d.Day, d.Calls)).ToList();

    private static List<DateOnly> Days(DatabaseTarget target, string zone) =>
        TransformFixtures.Daily(target, new DailyMetricsQuery { TimeZone = zone }).Select(d => d.Day).ToList();

    private static string[] HourlyCalls(DateTime firstUtc, int hours) =>
        Enumerable.Range(0, hours)
            .Select(h => TransformFixtures.Call(firstUtc.AddHours(h).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), prompt: 1, completion: 1, tokens: 2))
            .ToArray();
}
