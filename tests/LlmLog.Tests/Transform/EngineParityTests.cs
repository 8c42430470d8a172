using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>The same input through DuckDB and a real PostgreSQL gives the same marts.</summary>
public sealed class EngineParityTests
{
    internal static readonly (string Table, string OrderBy)[] Marts =
    [
        ("daily_llm_metrics", "day"),
        ("daily_model_metrics", "day, model"),
        ("hourly_llm_metrics", "day, hour"),
        ("data_quality_daily", "day"),
        ("daily_report_metrics", "day"),
        ("daily_model_distributions", "day, model, measure, bin"),
        ("daily_request_type_metrics", "day, model, request_type"),
        ("daily_temperature_calls", "day, temperature"),
        ("daily_flag_set_calls", "day, flags"),
        ("daily_max_tokens_use_calls", "day, tenth"),
        ("daily_price_table_calls", "day, price_table_sha256"),
        ("call_costs", "record_id"),
    ];

    [Fact]
    public async Task TheSameInputGivesIdenticalMartsOnDuckDbAndPostgres()
    {
        using var folder = TransformFixtures.Folder();
        var duck = await TransformFixtures.NewWarehouseAsync(Engine.DuckDb, folder);
        var pg = await TransformFixtures.NewWarehouseAsync(Engine.Postgres, folder);
        var lines = RandomCalls.Lines(600).ToArray();
        foreach (var target in new[] { duck, pg })
        {
            TransformFixtures.LoadPrices(target, folder);
            TransformFixtures.Ingest(target, folder, ("random.jsonl", lines));
        }

        foreach (var (table, orderBy) in Marts)
        {
            var fromDuck = Comparable(TransformFixtures.Rows(duck, table, orderBy), table);
            var fromPg = Comparable(TransformFixtures.Rows(pg, table, orderBy), table);
            fromDuck.Should().NotBeEmpty(table);
            TransformFixtures.ShouldMatch(fromPg, fromDuck, table);
        }
    }

    [Fact]
    public async Task EveryMartColumnHasTheSameClrTypeOnBothEngines()
    {
        using var folder = TransformFixtures.Folder();
        var duck = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var pg = await TransformFixtures.HandWorkedWarehouseAsync(Engine.Postgres, folder);

        foreach (var (table, orderBy) in Marts)
        {
            var duckTypes = TransformFixtures.Rows(duck, table, orderBy).SelectMany(r => r.Select((v, i) => (i, type: v?.GetType()))).Where(x => x.type is not null).Distinct().Order().ToList();
            var pgTypes = TransformFixtures.Rows(pg, table, orderBy).SelectMany(r => r.Select((v, i) => (i, type: v?.GetType()))).Where(x => x.type is not null).Distinct().Order().ToList();
            pgTypes.Should().Equal(duckTypes, $"{table} must not hand Dapper a decimal, BigInteger or float on one engine only");
            duckTypes.Select(x => x.type).Should().OnlyContain(t => t == typeof(long) || t == typeof(double) || t == typeof(string) || t == typeof(DateOnly) || t == typeof(DateTime), table);
        }
    }

    // priced_at is when the row was written, which differs between two runs by design.
    private static List<object?[]> Comparable(List<object?[]> rows, string table) =>
        table == "call_costs" ? rows.Select(r => r[..^1]).ToList() : rows;
}
