using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>daily_model_metrics and hourly_llm_metrics against the hand-worked fixture.</summary>
public sealed class OtherMartsTests
{
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task DailyModelMetricsSplitTheDayByModelWithTheirOwnPercentilesAndCost(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);

        var rows = TransformFixtures.Rows(target, "daily_model_metrics", "day, model")
            .Where(r => (DateOnly)r[0]! == new DateOnly(2024, 12, 13)).ToList();

        rows.Select(r => (string)r[1]!).Should().Equal("gpt-4o-2024-11-20", "gpt-4o-mini", "mystery-model");
        // gpt-4o-2024-11-20 on the 13th: c1 (2 s, ttft 2, 100+200) and c2 streamed without tokens (4 s, ttft 0.5).
        TransformFixtures.ShouldMatch([rows[0]],
        [
            [new DateOnly(2024, 12, 13), "gpt-4o-2024-11-20", "gpt-4o", 2L, 1L, 1L, 100L, 200L, 300L, 1.25, 1.925, 3.0, 3.9, 100.0, 0L, 0.00225, 0L, 0L],
        ], "gpt-4o-2024-11-20");
        rows[1][14].Should().Be(1L, "gpt-4o-mini hit max_tokens");
        rows[2][15].Should().BeNull("mystery-model has no price, so no cost");
        rows[2][16].Should().Be(1L);
        rows[2][17].Should().Be(0L, "mystery-model's call logs its prompt/completion split: a price is what it lacks");
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task HourlyMetricsHaveOneRowPerUtcHourWithCalls(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);

        var rows = TransformFixtures.Rows(target, "hourly_llm_metrics", "day, hour")
            .Where(r => (DateOnly)r[0]! == new DateOnly(2024, 12, 13)).ToList();

        TransformFixtures.ShouldMatch(rows,
        [
            [new DateOnly(2024, 12, 13), 10L, 1L, 300L, 2.0],
            [new DateOnly(2024, 12, 13), 11L, 1L, null, 4.0],
            [new DateOnly(2024, 12, 13), 12L, 1L, 150L, 1.0],
            [new DateOnly(2024, 12, 13), 23L, 1L, 60L, 3.0],
        ], "hourly_llm_metrics");
    }
}
