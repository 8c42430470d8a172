using Dapper;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>data_quality_daily counts flags, rejects and completeness per UTC day.</summary>
public sealed class DataQualityDailyTests
{
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task RejectsCountOnTheDayOfTheirCreatedElseOnTheDayTheirRunStarted(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        TransformFixtures.Ingest(target, folder, ("mixed.jsonl",
        [
            TransformFixtures.Call("2024-12-13 10:00:00", prompt: 10, completion: 20, tokens: 30),
            TransformFixtures.Call("2024-12-13 11:00:00", stream: true, latency: null, ttft: null),
            """{"created": "2024-12-13 12:00:00", "model": ""}""",
            """{"created": "2024-12-10 12:00:00", "model": "x", "stream": "yes"}""",
            """{"created": "yesterday", "model": "x"}""",
        ]));

        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        var runDay = DateOnly.FromDateTime(warehouse.Connection.QuerySingle<DateTime>("SELECT max(started_at) FROM ingest_runs"));
        var rows = TransformFixtures.Rows(target, "data_quality_daily", "day").ToDictionary(r => (DateOnly)r[0]!);

        rows.Keys.Should().BeEquivalentTo([new DateOnly(2024, 12, 10), new DateOnly(2024, 12, 13), runDay]);
        // day, calls, flagged, tokens_mismatch, missing_usage, ttft>latency, completion>max, rejected, shares
        rows[new DateOnly(2024, 12, 13)].Should().Equal(new DateOnly(2024, 12, 13), 2L, 1L, 0L, 1L, 0L, 0L, 1L, 0.5, 0.5, 0.5);
        rows[new DateOnly(2024, 12, 10)].Should().Equal(new DateOnly(2024, 12, 10), 0L, 0L, 0L, 0L, 0L, 0L, 1L, null, null, null);
        ((long)rows[runDay][7]!).Should().Be(1, "the record whose created did not parse counts on the run's day");
    }
}
