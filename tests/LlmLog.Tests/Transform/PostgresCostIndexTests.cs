using Dapper;
using FluentAssertions;
using LlmLog.Generation;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;
using Xunit;

namespace LlmLog.Tests.Transform;

public sealed class PostgresCostIndexTests
{
    // Bug: PostgreSQL summarizes a BRIN index's new pages only when VACUUM gets to the table, so after an
    // ingest the costs' index on day covered none of the costs just written, and every statement that read a
    // range of days' costs read them all: each slice of the refresh, the report marts and each day of an export
    // read the whole call_costs table (0.34 s against 0.07 s for a week of a 1M-call month). The refresh now
    // summarizes the pages of each slice it has priced.
    [Fact]
    public async Task AnIngestLeavesEveryCostItWroteCoveredByTheCostsDayIndex()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(Engine.Postgres, folder);
        TransformFixtures.LoadPrices(target, folder);
        // 20,000 costs fill a few hundred pages: several of the index's 128-page ranges.
        var log = folder.Combine("calls.jsonl");
        using (var output = File.Create(log))
        {
            new CallLogGenerator(new CallLogGeneratorOptions { Count = 20_000, Days = 4, Format = CallLogFormat.JsonLines, Seed = 7 }).Write(output);
        }
        IngestRunner.Run(target, [log], new IngestOptions { LockTimeout = TimeSpan.FromSeconds(30) }).ExitCode.Should().Be(ExitCode.Success);

        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        var db = warehouse.Connection;
        db.ExecuteScalar<long>("SELECT count(*) FROM call_costs").Should().Be(20_000);
        db.ExecuteScalar<long>("SELECT pg_relation_size('call_costs') / current_setting('block_size')::int").Should().BeGreaterThan(256);
        // What the index summarizes now is what it did not cover.
        db.ExecuteScalar<int>("SELECT brin_summarize_new_values('call_costs_day_brin')").Should().Be(0, "every range of pages the ingest wrote is already summarized");
    }
}
