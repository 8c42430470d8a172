using System.Data.Common;
using System.Globalization;
using Dapper;
using LlmLog.Tests.Support;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>Refreshing only the days each ingest touched gives the same marts as one full rebuild.</summary>
public sealed class IncrementalRefreshTests
{
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task IngestingFilesOneByOneInAnyOrderGivesTheSameMartsAsAFullRebuild(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        // Files cut across days, so every ingest touches days that earlier files already built.
        var lines = RandomCalls.Lines(300, seed: 7);
        var files = Enumerable.Range(0, 5)
            .Select(i => ($"part-{i}.jsonl", lines.Where((_, n) => n % 5 == i).ToArray()))
            .ToArray();

        var forward = await OneByOne(engine, folder, files);
        var backward = await OneByOne(engine, folder, [.. files.Reverse()]);
        var shuffled = await OneByOne(engine, folder, [files[2], files[4], files[0], files[3], files[1]]);
        var full = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(full, folder);
        TransformFixtures.Ingest(full, folder, files);
        TransformRunner.Run(full, new TransformOptions { Full = true }).DaysRebuilt.Should().BeGreaterThan(5);

        foreach (var target in new[] { forward, backward, shuffled, full })
        {
            TransformFixtures.ShouldHaveOneCostPerCall(target, "every call has exactly one cost row");
        }
        foreach (var (table, orderBy) in EngineParityTests.Marts.Where(m => m.Table != "call_costs"))
        {
            var expected = TransformFixtures.Rows(full, table, orderBy);
            expected.Should().NotBeEmpty();
            foreach (var (name, target) in new[] { ("forward", forward), ("backward", backward), ("shuffled", shuffled) })
            {
                TransformFixtures.ShouldMatch(TransformFixtures.Rows(target, table, orderBy), expected, $"{table}, {name} order vs --full");
            }
        }
    }

    // Ingest builds the marts every command reads and leaves the report's to the next report: a report pays
    // once for the days that changed since the last one, and those it builds equal a full rebuild.
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task TheNextReportBuildsTheReportMartsOfTheDaysThatChangedSinceTheLast(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var lines = RandomCalls.Lines(300, seed: 9).ToArray();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);

        TransformFixtures.Ingest(target, folder, ("first.jsonl", lines.Where((_, n) => n % 2 == 0).ToArray()));
        using (var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30)))
        {
            warehouse.Connection.ExecuteScalar<long>("SELECT count(*) FROM daily_model_distributions").Should().Be(0, "ingest does not build the report marts");
            var stale = warehouse.Connection.ExecuteScalar<long>("SELECT count(*) FROM report_dirty_days");
            stale.Should().Be(warehouse.Connection.ExecuteScalar<long>("SELECT count(*) FROM data_quality_daily"), "every day ingest built is stale for the report");
            MartRefresher.RefreshReportDays(warehouse).Should().Be((int)stale);
            MartRefresher.RefreshReportDays(warehouse).Should().Be(0, "nothing changed since");
        }

        // The second half lands on days whose report marts are built: the report rebuilds just those days.
        TransformFixtures.Ingest(target, folder, ("second.jsonl", lines.Where((_, n) => n % 2 == 1).ToArray()));
        var full = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(full, folder);
        TransformFixtures.Ingest(full, folder, ("all.jsonl", lines));
        TransformRunner.Run(full, new TransformOptions { Full = true });
        using (var warehouse = WarehouseConnection.Open(full, TimeSpan.FromSeconds(30)))
        {
            warehouse.Connection.ExecuteScalar<long>("SELECT count(*) FROM report_dirty_days").Should().Be(0, "a transform leaves nothing for the next report");
        }

        foreach (var table in TransformFixtures.ReportMarts)
        {
            var orderBy = EngineParityTests.Marts.Single(m => m.Table == table).OrderBy;
            var expected = TransformFixtures.Rows(full, table, orderBy);
            expected.Should().NotBeEmpty();
            TransformFixtures.ShouldMatch(TransformFixtures.Rows(target, table, orderBy), expected, $"{table}, built by two reports vs --full");
        }
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task AFullRebuildOfBuiltMartsChangesNothing(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        var before = EngineParityTests.Marts.Select(m => TransformFixtures.Rows(target, m.Table, m.OrderBy)).ToList();

        TransformRunner.Run(target, new TransformOptions { Full = true });

        for (var i = 0; i < before.Count; i++)
        {
            TransformFixtures.ShouldMatch(TransformFixtures.Rows(target, EngineParityTests.Marts[i].Table, EngineParityTests.Marts[i].OrderBy), before[i], EngineParityTests.Marts[i].Table);
        }
    }

    // At 10 calls a slice every day is a slice of its own; at 130, slices hold two or three of the five days,
    // so a slice read by its first and last day must take the days between them too. Ingest's refresh builds
    // PostgreSQL's slices side by side in two sessions; transform's builds them in order in its transaction.
    [Theory]
    [InlineData(Engine.DuckDb, 10, false)]
    [InlineData(Engine.Postgres, 10, false)]
    [InlineData(Engine.DuckDb, 130, false)]
    [InlineData(Engine.Postgres, 130, false)]
    [InlineData(Engine.DuckDb, 130, true)]
    [InlineData(Engine.Postgres, 130, true)]
    public async Task BuildingTheMartsASliceOfDaysAtATimeGivesTheSameMartsAsInOneGo(Engine engine, long callsPerSlice, bool inTheCallersTransaction)
    {
        using var folder = TransformFixtures.Folder();
        var lines = RandomCalls.Lines(300, seed: 11).ToArray();
        var whole = await OneByOne(engine, folder, [("all.jsonl", lines)]);
        var sliced = await OneByOne(engine, folder, [("all.jsonl", lines)]);
        using (var warehouse = WarehouseConnection.Open(sliced, TimeSpan.FromSeconds(30)))
        {
            var db = warehouse.Connection;
            using var tx = db.BeginTransaction();
            db.Execute("DELETE FROM call_costs", transaction: tx);
            db.Execute("INSERT INTO dirty_days (day) SELECT DISTINCT day FROM calls", transaction: tx);
            if (inTheCallersTransaction)
            {
                MartRefresher.Refresh(warehouse, tx, callsPerSlice).Should().Be(5, "the calls are spread over five days");
                tx.Commit();
            }
            else
            {
                tx.Commit();
                MartRefresher.RefreshDirtyDays(warehouse, callsPerSlice).Should().Be(5, "the calls are spread over five days");
            }
            db.ExecuteScalar<long>("SELECT count(*) FROM dirty_days").Should().Be(0, "every day was built");
        }

        TransformFixtures.ShouldHaveTheSameMarts(sliced, whole, "sliced vs whole");
        TransformFixtures.ShouldHaveOneCostPerCall(sliced, "every call has exactly one cost");
    }

    // Side by side, each slice commits on its own: a refresh that fails part-way leaves the built days in place
    // and every day still dirty, and the next refresh finishes the job.
    [Fact]
    public async Task ARefreshThatFailsPartWayOnPostgresLeavesEveryDayDirtyForTheNextOne()
    {
        using var folder = TransformFixtures.Folder();
        var lines = RandomCalls.Lines(300, seed: 11).ToArray();
        var whole = await OneByOne(Engine.Postgres, folder, [("all.jsonl", lines)]);
        var sliced = await OneByOne(Engine.Postgres, folder, [("all.jsonl", lines)]);
        var lastDay = TransformFixtures.Daily(sliced).Max(d => d.Day);
        // The same SQL, but the hourly model divides by zero on the last day's slice.
        var brokenSql = SqlCopy.To(Path.Combine(folder.Path, "broken-sql"));
        var hourly = Path.Combine(brokenSql, "marts", "030_hourly_llm_metrics.sql");
        File.AppendAllText(hourly, $"\nSELECT 1 / (CASE WHEN CAST(@last_day AS DATE) = DATE '{lastDay:yyyy-MM-dd}' THEN 0 ELSE 1 END);\n");
        using (var warehouse = WarehouseConnection.Open(sliced, TimeSpan.FromSeconds(30)))
        {
            warehouse.Connection.Execute("INSERT INTO dirty_days (day) SELECT DISTINCT day FROM calls");
        }

        using (var broken = WarehouseConnection.Open(sliced, TimeSpan.FromSeconds(30), brokenSql))
        {
            var refresh = () => MartRefresher.RefreshDirtyDays(broken, callsPerSlice: 10);
            refresh.Should().Throw<Npgsql.PostgresException>().Which.SqlState.Should().Be("22012", "division by zero");
            broken.Connection.ExecuteScalar<long>("SELECT count(*) FROM dirty_days").Should().Be(5, "no day is cleared until every slice is built");
        }
        using (var warehouse = WarehouseConnection.Open(sliced, TimeSpan.FromSeconds(30)))
        {
            MartRefresher.RefreshDirtyDays(warehouse, callsPerSlice: 10).Should().Be(5);
        }

        TransformFixtures.ShouldHaveTheSameMarts(sliced, whole, "after a failed refresh and another");
        TransformFixtures.ShouldHaveOneCostPerCall(sliced, "the costs written before the failure are not written twice");
    }

    [Fact]
    public void SlicesHoldConsecutiveDaysUpToTheCallBudgetAndABigDayAlone()
    {
        var d = new DateOnly(2025, 1, 1);
        var days = new[] { (d, 4L), (d.AddDays(1), 5L), (d.AddDays(2), 30L), (d.AddDays(3), 1L), (d.AddDays(4), 2L) };

        MartRefresher.Slices(days, callsPerSlice: 10).Select(s => s.Count).Should().Equal(2, 1, 2);
    }

    // Bug: DuckDB rebuilt all the dirty days' marts in one transaction, whose new rows DuckDB holds within its
    // memory limit, so memory grew with the days refreshed: the refresh after one 10M-call ingest ran out of a
    // 128MB limit however small the slices. Each slice now commits on its own, as on PostgreSQL, and the days
    // stay dirty until the last slice is built, so a refresh that stops part-way is finished by the next.
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task EachSliceOfARefreshCommitsOnItsOwnAndARefreshStoppedPartWayIsFinishedByTheNext(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var lines = RandomCalls.Lines(300, seed: 11).ToArray();
        var clean = await OneByOne(engine, folder, [("all.jsonl", lines)]);
        var target = await OneByOne(engine, folder, [("all.jsonl", lines)]);
        List<DateOnly> days;
        using (var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30)))
        {
            days = warehouse.Connection.Query<DateTime>("SELECT DISTINCT CAST(day AS TIMESTAMP) FROM calls ORDER BY 1").Select(DateOnly.FromDateTime).ToList();
            warehouse.Connection.Execute("DELETE FROM daily_llm_metrics");
            warehouse.Connection.Execute("INSERT INTO dirty_days (day) SELECT DISTINCT day FROM calls");
        }
        days.Should().HaveCountGreaterThan(2);

        // The same SQL with one more mart model, which fails on the slice of the last day.
        var failing = SqlCopy.To(Path.Combine(folder.Path, "sql-failing"));
        var lastDay = days[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(failing, "marts", "099_fail_on_the_last_day.sql"),
            $"SELECT CAST(CASE WHEN CAST(@last_day AS DATE) >= DATE '{lastDay}' THEN 'stop here' ELSE '1' END AS INTEGER);\n");
        using (var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30), failing))
        {
            var refresh = () => MartRefresher.RefreshDirtyDays(warehouse, callsPerSlice: 1);
            refresh.Should().Throw<DbException>();
        }
        using (var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30)))
        {
            var built = warehouse.Connection.Query<DateTime>("SELECT CAST(day AS TIMESTAMP) FROM daily_llm_metrics ORDER BY 1").Select(DateOnly.FromDateTime);
            built.Should().Equal(days[..^1], "every slice before the failing one was committed");
            warehouse.Connection.ExecuteScalar<long>("SELECT count(*) FROM dirty_days").Should().Be(days.Count, "the days stay dirty until every slice is built");

            MartRefresher.RefreshDirtyDays(warehouse, callsPerSlice: 1).Should().Be(days.Count);
            warehouse.Connection.ExecuteScalar<long>("SELECT count(*) FROM dirty_days").Should().Be(0);
        }
        TransformFixtures.ShouldHaveOneCostPerCall(target, "a slice's costs are written once, even when its marts are built twice");
        TransformFixtures.ShouldHaveTheSameMarts(target, clean, "a refresh stopped part-way and finished vs one clean ingest");
    }

    private static async Task<DatabaseTarget> OneByOne(Engine engine, TempFolder folder, (string Name, string[] Lines)[] files)
    {
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        foreach (var file in files) TransformFixtures.Ingest(target, folder, file);
        return target;
    }
}
