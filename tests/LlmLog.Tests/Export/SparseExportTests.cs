using LlmLog.Export;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>A calls export over a range with long gaps reads the days that hold calls, not every calendar day.</summary>
public sealed class SparseExportTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    [Fact]
    public void ThePlanForTwoCallsDecadesApartReadsTwoDaysNotThousands()
    {
        var first = new DateTime(1971, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var last = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var callDays = new Dictionary<DateOnly, long> { [DateOnly.FromDateTime(first)] = 1, [DateOnly.FromDateTime(last)] = 1 };

        var plan = ExportPlan.For(new ExportRequest { Table = ExportTable.Named("calls") }, TimeZoneInfo.Utc, first, last, callDays);

        plan.Queries.Should().ContainSingle().Which.Days.Should().Be(2);
    }

    // 500,000 calls over ten years were 3,652 statements, each of which scanned the whole table when the calls had been
    // loaded out of time order: 102 s (found by probing resources). Sparse days are read together up to SliceCalls calls;
    // a busy day stays a statement of its own.
    [Fact]
    public void SparseDaysAreReadTogetherAndABusyDayOnItsOwn()
    {
        var first = new DateOnly(2015, 1, 1);
        var callDays = Enumerable.Range(0, 3652).ToDictionary(i => first.AddDays(i), _ => 137L);
        callDays[first.AddDays(1000)] = 2 * ExportPlan.SliceCalls;

        var plan = ExportPlan.For(new ExportRequest { Table = ExportTable.Named("calls") }, TimeZoneInfo.Utc,
            first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), first.AddDays(3651).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc), callDays);

        plan.Queries.Sum(q => q.Days).Should().Be(3652, "every day with calls is read");
        plan.Queries.Should().HaveCountLessThan(20);
        plan.Queries.Should().ContainSingle(q => q.Days == 1 && (DateTime)q.Parameters["from_utc"] == first.AddDays(1000).ToDateTime(TimeOnly.MinValue));
        plan.Queries.Select(q => (DateTime)q.Parameters["from_utc"]).Should().BeInAscendingOrder();
        plan.Queries.Zip(plan.Queries.Skip(1)).Should().OnlyContain(p => (DateTime)p.First.Parameters["to_utc"] == (DateTime)p.Second.Parameters["from_utc"],
            "the statements cover the days edge to edge");
    }

    [Fact]
    public void InAnotherTimeZoneEveryLocalDayThatOverlapsACallDayIsStillRead()
    {
        // 2024-12-16 02:00 UTC is the evening of 2024-12-15 in New York: the local day before the UTC day.
        var call = new DateTime(2024, 12, 16, 2, 0, 0, DateTimeKind.Utc);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var plan = ExportPlan.For(new ExportRequest { Table = ExportTable.Named("calls"), TimeZone = zone.Id }, zone, call, call,
            new Dictionary<DateOnly, long> { [DateOnly.FromDateTime(call)] = 1 });

        plan.Queries.Should().ContainSingle().Which.Parameters["from_utc"].Should().Be(new DateTime(2024, 12, 15, 5, 0, 0, DateTimeKind.Utc));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task CallsYearsApartAreAllExported(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("sparse.jsonl", Some.JsonLines([
            Some.Call("1975-06-01 10:00:00", "gpt-4o"),
            Some.Call("2024-12-16 10:00:00", "gpt-4o"),
            Some.Call("2024-12-16 11:00:00", "gpt-4o"),
        ]));
        IngestRunner.Run(w.Target, [file], ExportFixtures.Ingest).Loaded.Should().Be(3);

        var result = ExportFixtures.Export(w, "calls", w.Files.Combine("calls.csv"));

        result.Rows.Should().Be(3);
        result.MinDay.Should().Be(new DateOnly(1975, 6, 1));
        result.MaxDay.Should().Be(new DateOnly(2024, 12, 16));
    }

    // Days read together in one statement still land in their own day's file, in time order, whatever order the calls
    // were loaded in.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task DaysReadTogetherArePartitionedEachIntoItsOwnFolderInTimeOrder(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("shuffled.jsonl", Some.JsonLines([
            Some.Call("2024-12-16 11:00:00", "gpt-4o"),
            Some.Call("2020-02-29 10:00:00", "gpt-4o"),
            Some.Call("2024-12-16 09:00:00", "gpt-4o"),
            Some.Call("2022-07-01 23:59:59", "gpt-4o"),
            Some.Call("2020-02-29 08:00:00", "gpt-4o"),
        ]));
        IngestRunner.Run(w.Target, [file], ExportFixtures.Ingest).Loaded.Should().Be(5);
        var lake = w.Files.Combine("lake");

        ExportFixtures.Export(w, "calls", lake, partition: true).Rows.Should().Be(5);

        Directory.GetDirectories(lake).Select(Path.GetFileName).Order().Should().Equal("day=2020-02-29", "day=2022-07-01", "day=2024-12-16");
        string[] Times(string day) => File.ReadLines(Path.Combine(lake, "day=" + day, "part-00000.csv")).Skip(1).Select(l => l.Split(',')[1]).ToArray();
        Times("2020-02-29").Should().Equal("2020-02-29T08:00:00.000000Z", "2020-02-29T10:00:00.000000Z");
        Times("2022-07-01").Should().Equal("2022-07-01T23:59:59.000000Z");
        Times("2024-12-16").Should().Equal("2024-12-16T09:00:00.000000Z", "2024-12-16T11:00:00.000000Z");
    }
}
