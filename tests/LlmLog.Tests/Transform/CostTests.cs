using Dapper;
using LlmLog.Tests.Support;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>Date-effective cost: fixed when a day is first built, rewritten only by --reprice, shown first by --dry-run.</summary>
public sealed class CostTests
{
    private const string DearerPrices = """
        model_match,match_type,input_per_1m_usd,cached_input_per_1m_usd,output_per_1m_usd,valid_from,valid_to,source
        gpt-4o,prefix,100,,100,2024-01-01,,test: everything gpt-4o costs 100 per 1M
        mystery-model,exact,1000,,1000,2024-01-01,,test: the unpriced model gets a price
        """;

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ANewerPriceTableDoesNotRewriteDaysAlreadyBuilt(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        var before = TransformFixtures.Daily(target).Select(d => (d.EstCostUsd, d.UnpricedCalls)).ToList();

        var path = folder.File("dearer.csv", DearerPrices);
        var result = TransformRunner.Run(target, new TransformOptions { PricesPath = path, Full = true });

        TransformFixtures.Daily(target).Select(d => (d.EstCostUsd, d.UnpricedCalls)).Should().Equal(before);
        result.CallsPricedUnderOtherTables.Should().Be(4, "c1, c3, c4 and c7 were priced (or found unpriced) under the test table");
        TransformCommandText(result).Should().Contain("--reprice --dry-run")
            .And.Contain("4 calls keep the cost fixed before this price table was in force", "c7 was found unpriced: it has no cost to keep");
    }

    // Bug: 'transform --prices FILE --dry-run' on a mistyped --db created a warehouse, said "Price table … is in force"
    // and then "Dry run: nothing was written" (found by probing the CLI).
    [Fact]
    public async Task ADryRunWithAPriceTableCreatesNoWarehouseAndNeverCallsTheTableInForce()
    {
        using var folder = TransformFixtures.Folder();
        var prices = folder.File("dearer.csv", DearerPrices);

        var missing = await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--dry-run", "--db", folder.Combine("missing.duckdb"));

        missing.ExitCode.Should().Be((int)ExitCode.NoData, missing.Stderr);
        File.Exists(folder.Combine("missing.duckdb")).Should().BeFalse();

        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var dry = await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--dry-run", "--db", target.DuckDbPath);

        dry.ExitCode.Should().Be(0, dry.Stderr);
        dry.Stderr.Should().NotContain("is in force").And.Contain("Dry run: nothing was written");
        var real = await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--db", target.DuckDbPath);
        real.Stderr.Should().Contain("dearer.csv (2 rows, sha256 ").And.Contain("is in force");
    }

    // Bug: a warehouse whose table in force came with an older llmlog kept it after an upgrade, and its calls of
    // o1-pro went on being priced with o1's row, without a word (found by probing an upgrade).
    [Fact]
    public async Task AShippedPriceTableNewerThanTheOneInForceIsPointedOut()
    {
        using var w = await Support.TestWarehouse.CreateAsync(Engine.DuckDb);
        var oldInstall = Directory.CreateDirectory(w.Files.Combine("old-llmlog/data")).FullName;
        var oldTable = Path.Combine(oldInstall, "model-prices.csv");
        File.WriteAllText(oldTable, string.Join('\n', File.ReadAllLines(PriceTables.DefaultPath).Where(l => !l.StartsWith("o1-pro,", StringComparison.Ordinal))) + "\n");
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "transform", "--prices", oldTable, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var file = w.Files.File("calls.json", Support.Some.Export([Support.Some.Call()]));

        var upgraded = await Support.LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "transform", "--prices", PriceTables.DefaultPath, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var current = await Support.LlmLogProcess.RunAsync(w.Files.Path, "transform", "--db", w.DbArgument);

        upgraded.ExitCode.Should().Be(0, upgraded.Stderr);
        upgraded.Stderr.Should().Contain("The price table shipped with this llmlog").And.Contain(oldTable).And.Contain("--reprice");
        current.Stderr.Should().NotContain("The price table shipped with this llmlog", "the shipped table is in force now");
    }

    // Bug: the table in force was taken for a shipped one by its file name, so a user's own prices saved as
    // model-prices.csv were warned of on every run, with advice that would replace them (found by probing prices).
    [Fact]
    public async Task AUsersOwnTableNamedLikeTheShippedOneIsNotTakenForAnOlderShippedTable()
    {
        using var w = await Support.TestWarehouse.CreateAsync(Engine.DuckDb);
        var own = Path.Combine(Directory.CreateDirectory(w.Files.Combine("mine")).FullName, "model-prices.csv");
        File.WriteAllText(own, File.ReadAllText(PriceTables.DefaultPath).Replace("gpt-4o-2024-11-20,exact,2.50", "gpt-4o-2024-11-20,exact,2.00", StringComparison.Ordinal));
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "transform", "--prices", own, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var run = await Support.LlmLogProcess.RunAsync(w.Files.Path, "ingest", w.Files.File("calls.json", Support.Some.Export([Support.Some.Call()])), "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().NotContain("The price table shipped with this llmlog");
    }

    [Fact]
    public void TheTableShippedNowIsTheLastOfTheShippedTables()
    {
        // A change to data/model-prices.csv must add its SHA-256, or warehouses on the older table are not told of it.
        PriceTables.ShippedSha256s[^1].Should().Be(PriceFile.Read(PriceTables.DefaultPath).Sha256);
    }

    // Bug: a damaged copy of the shipped table stopped every ingest, summary, report and export with exit 3, about a file
    // the user never named, even in a warehouse that had a table in force (found by probing the exit codes).
    [Fact]
    public async Task ADamagedShippedPriceTableLeavesCostsUnknownInsteadOfStoppingTheCommand()
    {
        using var w = await Support.TestWarehouse.CreateAsync(Engine.DuckDb);
        var damaged = w.Files.File("model-prices.csv", File.ReadAllText(PriceTables.DefaultPath) + "garbage,line\n");
        using var warehouse = w.Open();

        var firstUse = () => PriceTables.EnsureLoaded(warehouse, damaged);
        firstUse.Should().NotThrow();
        PriceTables.InForce(warehouse).Should().BeNull("no table could be read");
        using (var tx = warehouse.Connection.BeginTransaction())
        {
            PriceTables.Load(warehouse, PriceTables.DefaultPath, tx);
            tx.Commit();
        }
        var laterUse = () => PriceTables.EnsureLoaded(warehouse, damaged);

        laterUse.Should().NotThrow("the table in force is used");
        PriceTables.InForce(warehouse)!.Sha256.Should().Be(PriceFile.Read(PriceTables.DefaultPath).Sha256);
    }

    // Bug: metrics.prompt_cached_tokens was ignored, so a call that read 80 % of its prompt from the cache was
    // priced as if it had read none: $2.50 instead of $1.50 for 1M gpt-4o prompt tokens (found by probing costs).
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task PromptTokensReadFromTheCacheArePricedAtTheCachedRate(Engine engine)
    {
        using var w = await Support.TestWarehouse.CreateAsync(engine);
        var prices = w.Files.File("prices.csv", """
            model_match,match_type,input_per_1m_usd,cached_input_per_1m_usd,output_per_1m_usd,valid_from,valid_to,source
            cached-model,exact,2.50,1.25,10.00,2024-01-01,,test
            no-cache-price,exact,2.50,,10.00,2024-01-01,,test: no cached rate so cached tokens cost the input rate
            """);
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "transform", "--prices", prices, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        static string Call(string id, string model, string cached) =>
            "{\"id\": \"" + id + "\", \"created\": \"2024-12-20 01:00:00\", \"model\": \"" + model
            + "\", \"metrics\": {\"prompt_tokens\": 1000000, \"completion_tokens\": 100000" + cached + "}}";
        var file = w.Files.File("calls.jsonl", string.Join('\n',
            Call("cached", "cached-model", ", \"prompt_cached_tokens\": 800000"),
            Call("uncached", "cached-model", ""),
            Call("null", "cached-model", ", \"prompt_cached_tokens\": null"),
            Call("more-than-sent", "cached-model", ", \"prompt_cached_tokens\": 2000000"),
            Call("no-rate", "no-cache-price", ", \"prompt_cached_tokens\": 800000")) + "\n");

        var ingest = await Support.LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);

        ingest.ExitCode.Should().Be(0, ingest.Stderr);
        var costs = w.Query<(string, double)>("SELECT record_id, cost_usd FROM call_costs ORDER BY record_id").ToDictionary(r => r.Item1, r => r.Item2);
        costs["cached"].Should().BeApproximately(0.2 * 2.50 + 0.8 * 1.25 + 0.1 * 10.00, 1e-12);
        costs["uncached"].Should().BeApproximately(2.50 + 1.00, 1e-12);
        costs["null"].Should().BeApproximately(2.50 + 1.00, 1e-12);
        costs["more-than-sent"].Should().BeApproximately(2.50 + 1.00, 1e-12, "a call that says it cached more than it sent is priced as if it cached none");
        costs["no-rate"].Should().BeApproximately(2.50 + 1.00, 1e-12);
        w.Scalar<long>("SELECT prompt_cached_tokens FROM calls WHERE record_id = 'cached'").Should().Be(800_000);
    }

    // A warehouse without a price table got the shipped one from a dry run, committed on its own before the dry run's
    // transaction: after "nothing was written" it was in force (found by probing transform).
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task ADryRunLeavesAWarehouseWithoutAPriceTableWithout(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformRunner.Run(target, new TransformOptions(), defaultPricesPath: folder.Combine("no-shipped-table.csv"));
        InForce(target).Should().BeNull("the warehouse starts without a price table");

        var dry = TransformRunner.Run(target, new TransformOptions { DryRun = true, Reprice = true }, defaultPricesPath: LlmLog.Tests.Generation.GeneratedRecords.RepositoryFile("data/model-prices.csv"));

        dry.PriceTable.Should().NotBeNull("the dry run shows the table that would be in force");
        InForce(target).Should().BeNull("a dry run writes nothing");
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task RepriceDryRunShowsThePerDayChangeAndWritesNothing(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        var marts = EngineParityTests.Marts.Select(m => TransformFixtures.Rows(target, m.Table, m.OrderBy)).ToList();
        var tableBefore = InForce(target);

        var path = folder.File("dearer.csv", DearerPrices);
        var result = TransformRunner.Run(target, new TransformOptions { PricesPath = path, Reprice = true, DryRun = true });

        // 13th: c1 100*(100+200)/1e6 = 0.03, c3 (gpt-4o-mini, now only the gpt-4o prefix) 100*150/1e6 = 0.015,
        // c4 1000*60/1e6 = 0.06. 14th: the logged cost stays. 15th: c7 100*30/1e6 = 0.003.
        result.Changes.Select(c => c.Day).Should().Equal(new DateOnly(2024, 12, 13), new DateOnly(2024, 12, 15));
        var d13 = result.Changes[0];
        d13.ChangedCalls.Should().Be(3);
        d13.BeforeCostUsd.Should().BeApproximately(0.002295, 1e-12);
        d13.AfterCostUsd.Should().BeApproximately(0.105, 1e-12);
        (d13.BeforeUnpricedCalls, d13.AfterUnpricedCalls).Should().Be((1L, 0L));
        var d15 = result.Changes[1];
        d15.ChangedCalls.Should().Be(1);
        d15.BeforeCostUsd.Should().BeApproximately(0.00045, 1e-12);
        d15.AfterCostUsd.Should().BeApproximately(0.003, 1e-12);
        TransformCommandText(result).Should().Contain("would change").And.Contain("2024-12-13");

        for (var i = 0; i < marts.Count; i++)
        {
            TransformFixtures.ShouldMatch(TransformFixtures.Rows(target, EngineParityTests.Marts[i].Table, EngineParityTests.Marts[i].OrderBy), marts[i], EngineParityTests.Marts[i].Table + " after a dry run");
        }
        InForce(target).Should().Be(tableBefore, "a dry run does not even put the new price table in force");
    }

    // --reprice compares the new costs with the old a slice of days at a time: in one join over every cost, a
    // 10M-call DuckDB warehouse ran out of a 384MB limit that the sliced comparison fits in.
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task RepriceFindsTheSameChangesWhenItComparesADayAtATime(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        var path = folder.File("dearer.csv", DearerPrices);

        var whole = TransformRunner.Run(target, new TransformOptions { PricesPath = path, Reprice = true, DryRun = true });
        var dayByDay = TransformRunner.Run(target, new TransformOptions { PricesPath = path, Reprice = true, DryRun = true, CallsPerSlice = 1 });

        whole.Changes.Select(c => c.Day).Should().Equal(new DateOnly(2024, 12, 13), new DateOnly(2024, 12, 15));
        dayByDay.Changes.Should().Equal(whole.Changes);
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task RepriceRewritesCostsWithTheTableInForceAndKeepsLoggedCosts(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);

        var path = folder.File("dearer.csv", DearerPrices);
        var result = TransformRunner.Run(target, new TransformOptions { PricesPath = path, Reprice = true });

        result.Changes.Should().HaveCount(2);
        var days = TransformFixtures.Daily(target);
        days.Select(d => d.EstCostUsd!.Value).Should().Equal([0.105, 0.5, 0.003], (a, e) => Math.Abs(a - e) < 1e-12);
        days.Select(d => d.UnpricedCalls).Should().Equal(0L, 0L, 0L);
        using (var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30)))
        {
            warehouse.Connection.Query<string>("SELECT DISTINCT cost_source FROM call_costs ORDER BY cost_source").Should().Equal("computed", "logged", "no_usage");
            warehouse.Connection.Query<string>("SELECT DISTINCT price_table_sha256 FROM call_costs WHERE cost_source = 'computed'")
                .Should().Equal(result.PriceTable!.Sha256);
        }
        TransformFixtures.ShouldHaveOneCostPerCall(target, "every call has exactly one cost after a reprice");
    }

    // Bug: --reprice emptied call_costs with DELETE and PostgreSQL's statistics, taken before the new costs
    // were written, still said the table was empty, so every call was joined to its day's costs by a
    // nested loop; 1M calls ran for more than a quarter of an hour. Here 40,000 calls on two days would
    // take minutes that way and take seconds now.
    [Fact]
    public async Task RepriceOfTensOfThousandsOfCallsOnPostgresFinishesInSeconds()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(Engine.Postgres, folder);
        var lines = Enumerable.Range(0, 40_000)
            .Select(i => TransformFixtures.Call($"2024-12-{13 + i % 2} {i / 3600 % 24:00}:{i / 60 % 60:00}:{i % 60:00}", prompt: 100 + i, completion: 50, tokens: 150 + i))
            .ToArray();
        TransformFixtures.Ingest(target, folder, ("busy.jsonl", lines));

        var path = folder.File("dearer.csv", DearerPrices);
        var reprice = Task.Run(() => TransformRunner.Run(target, new TransformOptions { PricesPath = path, Reprice = true }));

        var finished = await Task.WhenAny(reprice, Task.Delay(TimeSpan.FromSeconds(90)));
        finished.Should().BeSameAs(reprice, "repricing 40,000 calls is seconds of work");
        await reprice;
        TransformFixtures.Daily(target).Sum(d => d.Calls).Should().Be(40_000);
        TransformFixtures.Daily(target).Select(d => d.EstCostUsd!.Value).Sum().Should().BeApproximately(
            lines.Select((_, i) => 100.0 * (100 + i + 50) / 1e6).Sum(), 1e-6, "every call is priced again at 100 per 1M tokens");
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task TheShippedPriceTableIsLoadedOnFirstUseAndNamedByItsSha256(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.Ingest(target, folder, ("one.jsonl", [TransformFixtures.Call("2024-12-18 16:40:40", prompt: 337, completion: 876, tokens: 1213)]));

        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        var table = PriceTables.InForce(warehouse);
        table.Should().NotBeNull();
        table!.Sha256.Should().Be(PriceFile.Read(PriceTables.DefaultPath).Sha256);
        DailyMetricsReader.Read(warehouse, new DailyMetricsQuery())!.PriceTables.Should().ContainSingle(p => p.Sha256 == table.Sha256 && p.PricedCalls == 1);
    }

    private static string? InForce(DatabaseTarget target)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        return PriceTables.InForce(warehouse)?.Sha256;
    }

    private static string TransformCommandText(TransformResult result) => LlmLog.Cli.TransformCommand.Describe(result);
}
