using Dapper;
using LlmLog.Generation;
using LlmLog.Tests.Support;
using Npgsql;

namespace LlmLog.Tests.Loading;

/// <summary>The settle of staged records into PostgreSQL's tables costs in proportion to them, whatever the statistics say.</summary>
public sealed class PostgresSettlePlanTests
{
    // Bug: once calls had been analysed while empty (every ingest's refresh analyses it: here, one of only a reject),
    // PostgreSQL took it for one row and checked each staged call against a sequential scan of calls, which grew with
    // every call the statement inserted: 100,000 records from standard input took 251 s against 5 s into a new
    // database (found by probing PostgreSQL as DBAs run it). The work is counted here, not timed: the quadratic plan
    // starts a sequential scan of calls for each of these 20,000 calls.
    [Fact]
    public async Task SettlingStandardInputIntoAWarehouseAnalysedWhileEmptyLooksCallsUpByKeyNotByAScanPerCall()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        using var folder = new TempFolder();
        var reject = folder.File("bad.jsonl", "{\"id\":\"b1\",\"created\":\"2025-02-20 10:00:00\"}\n");
        await LlmLogProcess.RunAsync(folder.Path, "ingest", reject, "--db", database);
        const int Records = 20_000;
        var records = LlmLog.Tests.Generation.GeneratedRecords.Bytes(new CallLogGeneratorOptions { Count = Records, Days = 2, Format = CallLogFormat.JsonLines, Seed = 5 });
        var before = await SequentialScansOfCallsAsync(database, 0);

        // Standard input takes the staging route, as a file overlapping what is loaded does.
        var run = await LlmLogProcess.RunAsync(folder.Path, new LlmLogProcess.Options(Stdin: records), "ingest", "-", "--db", database);

        run.ExitCode.Should().Be(0, run.Stderr);
        LlmLog.Tests.Warehouse.SharedDatabaseTests.Scalar<long>(database, "SELECT count(*) FROM calls").Should().Be(Records);
        var scans = await SequentialScansOfCallsAsync(database, before + 1) - before;
        scans.Should().BeLessThan(1000, "the settle looks each staged call up by its key; the refresh reads each day's calls a few times");
    }

    // The server counts a session's scans when it ends; the llmlog process has closed its sessions, whose counts land
    // within moments.
    private static async Task<long> SequentialScansOfCallsAsync(string database, long atLeast)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var scans = await connection.ExecuteScalarAsync<long?>("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'calls'") ?? 0;
            if (scans >= atLeast || attempt == 50) return scans;
            await Task.Delay(100);
        }
    }
}
