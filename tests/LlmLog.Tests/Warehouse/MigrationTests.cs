using Dapper;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Warehouse;

/// <summary>The schema's versions: each migration once, and never a warehouse a newer llmlog has migrated.</summary>
public sealed class MigrationTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    // Bug: an older llmlog on a warehouse a newer one had migrated failed its ingest halfway with an internal error,
    // and repriced with rules since changed (found by probing an upgrade). This llmlog must refuse the next one's.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AWarehouseMigratedByANewerLlmLogIsRefusedAndLeftAsItIs(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("export.json", Some.Export([Some.Call()]));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        using (var db = w.Open())
        {
            db.Connection.Execute(db.Sql.Get("warehouse/record_migration"),
                new { version = 999, name = "V999__from_the_future.sql", checksum = "0", applied_at = new DateTime(2030, 1, 1) });
        }
        var more = w.Files.File("more.json", Some.Export([Some.Call(created: "2024-12-19 10:00:00")]));

        foreach (var args in new[] { new[] { "ingest", more }, ["summary"], ["transform", "--reprice"], ["export", "--table", "calls", "--out", "-"] })
        {
            var run = await LlmLogProcess.RunAsync(w.Files.Path, [.. args, "--db", w.DbArgument]);
            run.ExitCode.Should().Be((int)ExitCode.DatabaseError, run.Stderr);
            run.Stderr.Should().Contain("upgraded by a newer llmlog").And.Contain("V999").And.NotContain("   at ");
        }
        // Opened without migrating: a migrating open is refused too.
        using var look = WarehouseConnection.Open(w.Target, TimeSpan.FromSeconds(30), readOnly: true);
        look.Connection.ExecuteScalar<long>("SELECT count(*) FROM calls").Should().Be(1, "nothing was loaded");
    }

    // Bug: two first runs on an empty PostgreSQL database both created the migrations ledger before taking the writer
    // lock, and the loser failed with 'type "schema_migrations" already exists' (exit 4; seen once in
    // ConcurrentIngestTests). Only one error code of that race was caught. The ledger is now created under the lock.
    [Fact]
    public async Task ManyFirstRunsAtOnceOnAnEmptyPostgresDatabaseAllMigrateIt()
    {
        for (var round = 0; round < 5; round++)
        {
            using var w = await TestWarehouse.CreateAsync(Engine.Postgres);
            using var start = new Barrier(8);
            var opens = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                using var db = WarehouseConnection.Open(w.Target, TimeSpan.FromSeconds(60));
                return Migrator.IsCurrent(db);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

            (await Task.WhenAll(opens)).Should().AllBeEquivalentTo(true);
            using var look = w.Open();
            look.Connection.ExecuteScalar<long>("SELECT count(*) FROM schema_migrations WHERE version = 1").Should().Be(1);
        }
    }

    // V017 marks the rejects of records a warehouse already holds as calls (corrected and ingested again before
    // llmlog marked them), and has their days' data-quality counts rebuilt.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MigratingAnOlderWarehouseStopsCountingRejectsWhoseRecordsItHoldsAsCalls(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (good, hot) = Some.CallAndItsRejectedVersion("call-7");
        var options = new LlmLog.Loading.IngestOptions();
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("a.jsonl", Some.JsonLines([hot]))], options);
        var loaded = LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("b.jsonl", Some.JsonLines([good]))], options);
        // The warehouse as an llmlog before V017 left it: no column, and the reject counted on its day.
        using (var db = w.Open())
        {
            db.Connection.Execute("ALTER TABLE rejects DROP COLUMN loaded_by_run");
            db.Connection.Execute("DELETE FROM schema_migrations WHERE version = 17");
            db.Connection.Execute("UPDATE data_quality_daily SET rejected_records = 1");
        }

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "transform", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        w.Query<long?>("SELECT loaded_by_run FROM rejects").Should().Equal(loaded.Files.Single().RunId);
        w.Scalar<long>("SELECT CAST(sum(rejected_records) AS BIGINT) FROM data_quality_daily").Should().Be(0);
    }

    // V019: max_tokens 0 is no limit; calls an earlier llmlog loaded with it had hit it and exceeded it (found by probing
    // the report, whose counts of calls with a limit leave them out).
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MigratingAnOlderWarehouseTakesTheLimitOffCallsWithMaxTokensZero(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("zero.jsonl", """
            {"id":"z","created":"2025-03-01 10:00:00","model":"m","max_tokens":0,"metrics":{"start":1740823200,"end":1740823202,"prompt_tokens":10,"completion_tokens":50,"tokens":61}}
            {"id":"y","created":"2025-03-01 11:00:00","model":"m","max_tokens":0,"metrics":{"start":1740826800,"end":1740826802,"prompt_tokens":10,"completion_tokens":50,"tokens":60}}
            """ + "\n");
        LlmLog.Loading.IngestRunner.Run(w.Target, [file], new LlmLog.Loading.IngestOptions());
        // The calls, their run and their day as an llmlog before V019 left them: "y" was flagged for this alone.
        using (var db = w.Open())
        {
            db.Connection.Execute("UPDATE calls SET hit_max_tokens = TRUE, flag_completion_exceeds_max_tokens = TRUE, flags = 'tokens_mismatch,completion_exceeds_max_tokens' WHERE record_id = 'z'");
            db.Connection.Execute("UPDATE calls SET hit_max_tokens = TRUE, flag_completion_exceeds_max_tokens = TRUE, flags = 'completion_exceeds_max_tokens' WHERE record_id = 'y'");
            db.Connection.Execute("UPDATE ingest_runs SET records_flagged = 2");
            db.Connection.Execute("UPDATE daily_llm_metrics SET hit_max_tokens_calls = 2");
            db.Connection.Execute("DELETE FROM schema_migrations WHERE version = 19");
        }

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "transform", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        w.Query<string>("SELECT flags FROM calls ORDER BY record_id").Should().Equal("", "tokens_mismatch");
        // The report's runs table beside its flagged tile: 2 against 1 (found by re-checking the probes).
        w.Scalar<long>("SELECT records_flagged FROM ingest_runs").Should().Be(1);
        w.Scalar<long>("SELECT count(*) FROM calls WHERE hit_max_tokens IS NULL AND NOT flag_completion_exceeds_max_tokens").Should().Be(2);
        w.Scalar<long>("SELECT CAST(sum(hit_max_tokens_calls) AS BIGINT) FROM daily_llm_metrics").Should().Be(0, "the call's day was rebuilt");
    }

    // V025: avg_max_tokens no longer averages max_tokens 0 (no limit) as a limit of 0; the days whose marts an earlier
    // llmlog built with it are rebuilt by the next refresh, the others left as they are.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MigratingAnOlderWarehouseRebuildsTheDaysWhoseAverageLimitCountedMaxTokensZero(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("limits.jsonl", """
            {"id":"a","created":"2025-03-01 10:00:00","model":"m","max_tokens":100,"metrics":{"start":1740823200,"end":1740823202}}
            {"id":"b","created":"2025-03-01 11:00:00","model":"m","max_tokens":0,"metrics":{"start":1740826800,"end":1740826802}}
            {"id":"c","created":"2025-03-02 11:00:00","model":"m","max_tokens":300,"metrics":{"start":1740913200,"end":1740913202}}
            """ + "\n");
        LlmLog.Loading.IngestRunner.Run(w.Target, [file], new LlmLog.Loading.IngestOptions());
        // The marts as an llmlog before V025 built them, and one day's value no refresh of it would give, to show which
        // days were rebuilt.
        using (var db = w.Open())
        {
            db.Connection.Execute("UPDATE daily_llm_metrics SET avg_max_tokens = 50 WHERE day = '2025-03-01'");
            db.Connection.Execute("UPDATE daily_llm_metrics SET avg_max_tokens = 7 WHERE day = '2025-03-02'");
            db.Connection.Execute("DELETE FROM schema_migrations WHERE version = 25");
        }

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "transform", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        w.Query<double?>("SELECT avg_max_tokens FROM daily_llm_metrics ORDER BY day").Should().Equal(100.0, 7.0);
    }

    // Bug: rejects an llmlog before V016 kept have no call_id, so the record fixed at its source and ingested again
    // under the same id (as the reject's message asks) loaded as a call but its reject still counted as rejected: an
    // upgraded warehouse said 285 rejected records where one built afresh from the same files said 284 (found by
    // probing an upgrade). V020 gives those rejects the id they would have as a call.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ARejectKeptBeforeCallIdsStopsCountingOnceItsCorrectedRecordLoadsAfterTheUpgrade(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (good, hot) = Some.CallAndItsRejectedVersion("call-7");
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("a.jsonl", Some.JsonLines([hot]))], new LlmLog.Loading.IngestOptions());
        AsBeforeCallIds(w);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", w.Files.File("b.jsonl", Some.JsonLines([good])), "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        w.Query<string?>("SELECT call_id FROM rejects").Should().Equal("call-7");
        w.Scalar<long>("SELECT count(*) FROM rejects WHERE loaded_by_run IS NULL").Should().Be(0);
        w.Scalar<long>("SELECT CAST(sum(rejected_records) AS BIGINT) FROM data_quality_daily").Should().Be(0);
    }

    // The same, when an older llmlog had loaded the corrected record too: the upgrade itself marks the reject.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MigratingAWarehouseWithRejectsKeptBeforeCallIdsStopsCountingThoseItHoldsAsCalls(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (good, hot) = Some.CallAndItsRejectedVersion("call-7");
        var options = new LlmLog.Loading.IngestOptions();
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("a.jsonl", Some.JsonLines([hot, Some.Call()]))], options);
        var loaded = LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("b.jsonl", Some.JsonLines([good]))], options);
        // ... where the older llmlog had counted the reject, having no id to match it by.
        AsBeforeCallIds(w, "UPDATE rejects SET loaded_by_run = NULL", "UPDATE data_quality_daily SET rejected_records = 1");

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "transform", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        w.Query<long?>("SELECT loaded_by_run FROM rejects").Should().Equal(loaded.Files.Single().RunId);
        w.Scalar<long>("SELECT CAST(sum(rejected_records) AS BIGINT) FROM data_quality_daily").Should().Be(0, "the reject's day was rebuilt");
    }

    // Bug: the first run after an upgrade migrated in silence, and on a warehouse with many older rejects V020 takes
    // minutes before the command's own work begins (found by probing an upgrade). It says what it upgrades, and that
    // an interrupted upgrade goes on; a new warehouse's first run says nothing of it.
    [Fact]
    public async Task TheFirstRunAfterAnUpgradeSaysItUpgradesTheSchema()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var first = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", w.Files.File("a.json", Some.Export([Some.Call()])), "--db", w.DbArgument);
        first.ExitCode.Should().Be(0, first.Stderr);
        // Not "schema" alone: the log names the price table by its path, and a checkout may live under /tmp/wt-schema.
        first.Stderr.Should().NotContain("Upgrad");
        AsBeforeCallIds(w);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "summary", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("Upgrading the schema of").And.Contain("migrations V020").And.Contain("Upgraded the schema");
    }

    // Rejects kept before V021 have a day and no instant; a report in another zone places them by their instant.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MigratingAWarehouseWithRejectsKeptBeforeTheirInstantsReadsEachFromItsRawText(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("bad.jsonl",
            "{\"id\":\"r1\",\"created\":\"2024-12-01 23:30:00.25\"}\n"
            + "{\"id\":\"r2\",\"created\":\"2024-12-01T14:00:00+02:00\",\"model\":\"m\",\"stream\":\"yes\"}\n"
            + "{\"id\":\"r3\",\"created\":\"soon\",\"model\":\"m\"}\n"
            + "{\"id\":\"r4\",\"created\":\"2024-12-02 08:00:00\",\"model\":\"m\",\"stream\":1}\n");
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        // r4's kept text no longer gives its instant (only an unusual text could): it gets the noon of its UTC day.
        AsBefore(w, 21, "UPDATE rejects SET raw = 'garbled' WHERE record_number = 4");

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "summary", "--db", w.DbArgument);

        run.Stderr.Should().Contain("migrations V021");
        w.Query<DateTime?>("SELECT created_at FROM rejects ORDER BY record_number")
            .Should().Equal(new DateTime(2024, 12, 1, 23, 30, 0, 250), new DateTime(2024, 12, 1, 12, 0, 0), null, new DateTime(2024, 12, 2, 12, 0, 0));
    }

    // V022: the report's max_tokens breakdown counts, per model and request type, the calls whose use of the limit is
    // known; a warehouse whose report marts were built before has no such count until they are built again.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MigratingAWarehouseWhoseReportMartsWereBuiltBeforeRebuildsThemForTheMaxTokensBreakdown(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("limits.jsonl", """
            {"id":"a","created":"2025-03-01 10:00:00","model":"m","max_tokens":100,"metrics":{"start":1740823200,"end":1740823202,"prompt_tokens":10,"completion_tokens":100,"tokens":110}}
            {"id":"b","created":"2025-03-02 11:00:00","model":"m","max_tokens":100,"metrics":{"start":1740913200,"end":1740913202,"prompt_tokens":10,"completion_tokens":10,"tokens":20}}
            {"id":"c","created":"2025-03-02 12:00:00","model":"m","max_tokens":100,"metrics":{"start":1740916800,"end":1740916802}}
            """ + "\n");
        var html = Path.Combine(w.Files.Path, "report.html");
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        (await LlmLogProcess.RunAsync(w.Files.Path, "report", "--db", w.DbArgument, "--out", html)).ExitCode.Should().Be(0);
        AsBefore(w, 22);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "report", "--db", w.DbArgument, "--out", html);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("migrations V022");
        w.Query<long?>("SELECT calls_with_max_tokens_use FROM daily_request_type_metrics ORDER BY day").Should().Equal(1L, 1L);
        File.ReadAllText(html).Should().Contain("By model: m 1 of 2 (50.0%)");
    }

    // V027: the per-model mart counts the unpriced calls that log no prompt/completion split, which the UTC report reads
    // instead of joining every call to its cost (2 s of a 4 s report at 10M calls; found by the benchmark). The days an
    // earlier llmlog built get their count from the migration, or the report would take them all for a missing price.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MigratingAWarehouseWhoseMartsWereBuiltBeforeTheSplitCountGivesEachDayItsCount(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("split.jsonl", """
            {"id":"a","created":"2025-03-01 10:00:00","model":"acme-x","metrics":{"start":1740823200,"end":1740823202,"prompt_tokens":10,"completion_tokens":5,"tokens":15}}
            {"id":"b","created":"2025-03-01 11:00:00","model":"gpt-4o-2024-11-20","metrics":{"start":1740826800,"end":1740826802,"tokens":20}}
            {"id":"c","created":"2025-03-02 11:00:00","model":"gpt-4o-2024-11-20","metrics":{"start":1740913200,"end":1740913202,"tokens":30}}
            """ + "\n");
        var html = Path.Combine(w.Files.Path, "report.html");
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        AsBefore(w, 27, "UPDATE daily_model_metrics SET unpriced_calls_without_split = NULL");

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "report", "--db", w.DbArgument, "--out", html);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("migrations V027");
        w.Query<long?>("SELECT unpriced_calls_without_split FROM daily_model_metrics ORDER BY day, model").Should().Equal(0L, 1L, 1L);
        File.ReadAllText(html).Should().Contain("acme-x (1 of its 1 calls)").And.Contain("2 more log their tokens without a prompt/completion split");
    }

    // V023: runs recorded before it have no modification time, so their files are hashed once more (same bytes: one
    // skipped row that records it), then passed over unread.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task FilesLoadedBeforeModificationTimesWereKeptAreHashedOnceMoreThenPassedOver(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("hour.jsonl", Some.JsonLines(Some.Calls(2)));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        AsBefore(w, 23);

        var upgraded = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);
        var next = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);

        upgraded.ExitCode.Should().Be(0, upgraded.Stderr);
        upgraded.Stderr.Should().Contain("migrations V023").And.Contain("same SHA-256");
        next.Stderr.Should().Contain("unchanged since");
        w.Query<string>("SELECT status FROM ingest_runs ORDER BY run_id").Should().Equal("succeeded", "skipped");
    }

    // V024: rejects kept before it are keyed by their bytes; the upgrade keys those that are JSON by their canonical form,
    // so the same bad records in another layout, or the same file read again, are duplicates and not new rejects.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task RejectsKeptBeforeContentIdsAreFoundAgainInAnotherLayoutAfterTheUpgrade(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var compact = w.Files.File("compact.jsonl", "{\"model\": \"m\"}\n{\"model\": \"m\"}\n{\"stream\":1,\"model\":\"m\",\"id\":\"r1\"}\nnot json\n{\"model\":\"m\"");
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", compact, "--db", w.DbArgument)).ExitCode.Should().Be(3, "the last line is cut off");
        var keys = w.Query<string>("SELECT record_id FROM rejects ORDER BY record_number").ToList();
        AsBefore(w, 24, [.. KeyedByBytes(w)]);

        var pretty = w.Files.File("pretty.json", "[ {\n  \"model\": \"m\"\n},\n {\"stream\": 1, \"model\": \"m\", \"id\": \"r1\"}, {\"model\": \"m\"} ]");
        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", pretty, "--db", w.DbArgument, "--json");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("migrations V024");
        using var summary = System.Text.Json.JsonDocument.Parse(run.Stdout);
        (summary.RootElement.GetProperty("rejected").GetInt64(), summary.RootElement.GetProperty("duplicates").GetInt64()).Should().Be((0L, 3L));
        w.Query<string>("SELECT record_id FROM rejects ORDER BY record_number").Should().Equal(keys,
            "the upgrade keys each as ingest does now: copies numbered, the line that is no JSON and the cut-off rest as they were");
    }

    // V024 across runs: an older llmlog kept one bad record once per layout, a row in each run; the upgrade numbers the
    // copies by run, and a third layout finds the record kept.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task OneRecordRejectedByTwoRunsBeforeContentIdsIsNumberedByRunOnTheUpgrade(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", w.Files.File("a.jsonl", "{\"model\": \"m\"}\n"), "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var canonical = w.Scalar<string>("SELECT record_id FROM rejects");
        // The first row keyed as an older llmlog keyed it, so the next layout is not found and is kept again, as it was then.
        SetKeysToBytes(w);
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", w.Files.File("b.jsonl", "{ \"model\" : \"m\" }\n"), "--db", w.DbArgument)).ExitCode.Should().Be(0);
        w.Scalar<long>("SELECT count(*) FROM rejects").Should().Be(2);
        SetKeysToBytes(w);
        AsBefore(w, 24);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", w.Files.File("c.json", "[{\"model\":\"m\"}]"), "--db", w.DbArgument, "--json");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("migrations V024");
        w.Query<string>("SELECT record_id FROM rejects ORDER BY run_id").Should().Equal(canonical, canonical + "-2");
        using var summary = System.Text.Json.JsonDocument.Parse(run.Stdout);
        (summary.RootElement.GetProperty("rejected").GetInt64(), summary.RootElement.GetProperty("duplicates").GetInt64()).Should().Be((0L, 1L));

        static void SetKeysToBytes(TestWarehouse w)
        {
            var rows = w.Query<(long Run, string Raw)>("SELECT run_id, raw FROM rejects").ToList();
            using var db = w.Open();
            foreach (var (run, raw) in rows)
            {
                db.Connection.Execute("UPDATE rejects SET record_id = " + (db.Target.Engine == Engine.Postgres ? "@id" : "$id") + " WHERE run_id = " + run,
                    new { id = LlmLog.Validation.RecordId.OfBytes(System.Text.Encoding.UTF8.GetBytes(raw)) });
            }
        }
    }

    // The keys an llmlog before V024 gave: the hash of the bytes ('-k' for the k-th copy), except a cut-off rest's.
    private static IEnumerable<string> KeyedByBytes(TestWarehouse w)
    {
        var rows = w.Query<(string Id, string Raw, long Number)>("SELECT record_id, raw, record_number FROM rejects ORDER BY record_number").ToList();
        foreach (var group in rows.Where(r => r.Raw != "{\"model\":\"m\"").GroupBy(r => LlmLog.Validation.RecordId.OfBytes(System.Text.Encoding.UTF8.GetBytes(r.Raw))))
        {
            var copy = 0;
            foreach (var r in group) yield return $"UPDATE rejects SET record_id = '{group.Key}{(++copy == 1 ? "" : "-" + copy)}' WHERE record_number = {r.Number}";
        }
    }

    // The warehouse as an llmlog before V016 left its rejects (the column itself V016 added, NULL for them), and not
    // yet migrated past V019. One open: the next one migrates.
    private static void AsBeforeCallIds(TestWarehouse w, params string[] more) =>
        AsBefore(w, 20, ["UPDATE rejects SET call_id = NULL", .. more]);

    // The warehouse as an llmlog before migration `version` left it: the statements undo what that migration and
    // those after it did (a column they added, the values they set), and the ledger forgets them.
    private static void AsBefore(TestWarehouse w, int version, params string[] undo)
    {
        using var db = w.Open();
        foreach (var sql in undo) db.Connection.Execute(sql);
        if (version <= 21) db.Connection.Execute("ALTER TABLE rejects DROP COLUMN IF EXISTS created_at");
        if (version <= 22) db.Connection.Execute("ALTER TABLE daily_request_type_metrics DROP COLUMN IF EXISTS calls_with_max_tokens_use");
        // DuckDB cannot drop a column of a table an index depends on: the runs are as an older llmlog recorded them, and
        // V023 adds the column only where it is missing.
        if (version <= 23) db.Connection.Execute("UPDATE ingest_runs SET file_modified_at = NULL");
        // V024 changed keys only, which the statements given set back.
        db.Connection.Execute($"DELETE FROM schema_migrations WHERE version >= {version}");
    }
}
