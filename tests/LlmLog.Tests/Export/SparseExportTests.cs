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
        var callDays = new HashSet<DateOnly> { DateOnly.FromDateTime(first), DateOnly.FromDateTime(last) };

        var plan = ExportPlan.For(new ExportRequest { Table = ExportTable.Named("calls") }, TimeZoneInfo.Utc, first, last, callDays);

        plan.Queries.Should().HaveCount(2);
    }

    [Fact]
    public void InAnotherTimeZoneEveryLocalDayThatOverlapsACallDayIsStillRead()
    {
        // 2024-12-16 02:00 UTC is the evening of 2024-12-15 in New York: the local day before the UTC day.
        var call = new DateTime(2024, 12, 16, 2, 0, 0, DateTimeKind.Utc);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var plan = ExportPlan.For(new ExportRequest { Table = ExportTable.Named("calls"), TimeZone = zone.Id }, zone, call, call,
            new HashSet<DateOnly> { DateOnly.FromDateTime(call) });

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
}
