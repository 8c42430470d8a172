using Dapper;
using LlmLog.Export;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>
/// On PostgreSQL a calls export reads the next day on a second session while it writes the current one:
/// the rows must still come out in order, byte for byte as from DuckDB, and both sessions must read one snapshot.
/// </summary>
public sealed class ExportReadAheadTests
{
    [Fact]
    public async Task ACallsExportOverManyDaysIsTheSameFromPostgresAsFromDuckDb()
    {
        using var duck = await TestWarehouse.CreateAsync(Engine.DuckDb);
        using var pg = await TestWarehouse.CreateAsync(Engine.Postgres);
        var calls = duck.Files.File("calls.jsonl", Some.JsonLines(Some.Calls(600, days: 12)));
        IngestRunner.Run(duck.Target, [calls], ExportFixtures.Ingest);
        IngestRunner.Run(pg.Target, [calls], ExportFixtures.Ingest);

        ExportFixtures.Export(duck, "calls", duck.Files.Combine("duck.csv"));
        var result = ExportFixtures.Export(pg, "calls", pg.Files.Combine("pg.csv"));

        result.MaxDay!.Value.DayNumber.Should().BeGreaterThan(result.MinDay!.Value.DayNumber + 5, "the export must span many daily statements");
        File.ReadAllText(pg.Files.Combine("pg.csv")).Should().Be(File.ReadAllText(duck.Files.Combine("duck.csv")));
    }

    [Fact]
    public async Task TheReadAheadSessionReadsTheSnapshotOfTheFirst()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.Postgres);
        IngestRunner.Run(w.Target, [w.Files.File("calls.jsonl", Some.JsonLines(Some.Calls(20, days: 3)))], ExportFixtures.Ingest);
        var before = w.Scalar<long>("SELECT count(*) FROM calls");
        var sql = SqlWithCountQuery(w.Files.Combine("sql"));

        using var reads = ExportReads.Open(w.Target, TimeSpan.FromSeconds(30), sql);
        reads.AddReadAhead();
        using (var other = w.Open()) other.Connection.Execute("DELETE FROM calls WHERE record_id IN (SELECT record_id FROM calls LIMIT 5)");
        w.Scalar<long>("SELECT count(*) FROM calls").Should().Be(before - 5);

        var count = new ExportQuery("test/count_calls", new Dictionary<string, object>());
        var counts = reads.Run([count, count, count]).Select(r => r.Read() ? r.GetInt64(0) : -1).ToList();

        counts.Should().Equal([before, before, before], "both sessions took their snapshot when the export opened them");
    }

    /// <summary>llmlog's own sql/ folder plus one statement for the test.</summary>
    private static string SqlWithCountQuery(string root)
    {
        SqlCopy.To(root);
        Directory.CreateDirectory(Path.Combine(root, "test"));
        File.WriteAllText(Path.Combine(root, "test", "count_calls.sql"), "SELECT count(*) FROM calls;\n");
        return root;
    }
}
