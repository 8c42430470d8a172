using LlmLog.Tests.Support;
using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Warehouse;

/// <summary>
/// --schema (or LLMLOG_SCHEMA) keeps a PostgreSQL warehouse in a schema of its own: easier to find than search_path in
/// --db's options or PGOPTIONS, which users had to write before, and named in every message about the target.
/// </summary>
public sealed class SchemaOptionTests
{
    [Fact]
    public async Task TwoWarehousesChosenWithSchemaInOneDatabaseHoldAndShowOnlyTheirOwnCalls()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        SharedDatabaseTests.Execute(database, "CREATE SCHEMA team_a", "CREATE SCHEMA team_b");
        using var folder = new TempFolder();
        var forA = folder.File("a.json", Some.Export([Some.Call(model: "gpt-4o-2024-11-20")]));
        var forB = folder.File("b.json", Some.Export([Some.Call(model: "o3-mini"), Some.Call(model: "o3-mini")]));

        (await LlmLogProcess.RunAsync(folder.Path, "ingest", forA, "--db", database, "--schema", "team_a")).ExitCode.Should().Be(0);
        // --schema before the command's name too, as --db may be.
        (await LlmLogProcess.RunAsync(folder.Path, "--db", database, "--schema", "team_b", "ingest", forB)).ExitCode.Should().Be(0);

        SharedDatabaseTests.TablesIn(database, "public").Should().BeEmpty();
        SharedDatabaseTests.Scalar<long>(database, "SELECT count(*) FROM team_a.calls").Should().Be(1);
        SharedDatabaseTests.Scalar<long>(database, "SELECT count(*) FROM team_b.calls").Should().Be(2);
        foreach (var (schema, mine, theirs, rows) in new[] { ("team_a", "gpt-4o", "o3-mini", 1), ("team_b", "o3-mini", "gpt-4o", 2) })
        {
            var export = await LlmLogProcess.RunAsync(folder.Path, "export", "--table", "calls", "--out", "-", "--db", database, "--schema", schema);
            var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--format", "csv", "--db", database, "--schema", schema);
            var report = await LlmLogProcess.RunAsync(folder.Path, "report", "--out", "-", "--db", database, "--schema", schema);
            var transform = await LlmLogProcess.RunAsync(folder.Path, "transform", "--db", database, "--schema", schema);

            foreach (var run in new[] { export, summary, report, transform }) run.ExitCode.Should().Be(0, run.Stderr);
            export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1 + rows, "a header and the schema's own calls");
            export.Stdout.Should().Contain(mine).And.NotContain(theirs);
            report.Stdout.Should().Contain(mine).And.NotContain(theirs);
            summary.Stdout.Should().NotContain(theirs);
        }
    }

    [Fact]
    public async Task LlmLogSchemaChoosesTheSchemaWhenSchemaIsNotGiven()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        SharedDatabaseTests.Execute(database, "CREATE SCHEMA llm");
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));
        // As a scheduled job sets both.
        var environment = new LlmLogProcess.Options(Environment: new Dictionary<string, string>
        {
            [DatabaseTarget.EnvironmentVariable] = database,
            [DatabaseTarget.SchemaVariable] = "llm",
        });

        var ingest = await LlmLogProcess.RunAsync(folder.Path, environment, "ingest", file);
        var summary = await LlmLogProcess.RunAsync(folder.Path, environment, "summary", "--format", "csv");

        ingest.ExitCode.Should().Be(0, ingest.Stderr);
        summary.ExitCode.Should().Be(0, summary.Stderr);
        summary.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "a header and the call's day");
        SharedDatabaseTests.TablesIn(database, "public").Should().BeEmpty();
        SharedDatabaseTests.Scalar<long>(database, "SELECT count(*) FROM llm.calls").Should().Be(1);
    }

    [Fact]
    public async Task ASchemaThatDoesNotExistIsExit10NamingItAndNothingIsCreated()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var ingest = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database, "--schema", "llm");
        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", database, "--schema", "llm");

        foreach (var run in new[] { ingest, summary })
        {
            run.ExitCode.Should().Be((int)ExitCode.DatabaseMissing, run.Stderr);
            run.Stderr.Should().Contain("(schema llm): schema llm, named by --schema, does not exist").And.Contain("CREATE SCHEMA llm").And.NotContain("   at ");
        }
        SharedDatabaseTests.TablesIn(database, "public").Should().BeEmpty();
    }

    // Bug: for a missing schema named as a reserved word, the message suggested CREATE SCHEMA user, a syntax error.
    [Theory]
    [InlineData("user", "CREATE SCHEMA \"user\"")]
    [InlineData("order", "CREATE SCHEMA \"order\"")]
    [InlineData("analytics", "CREATE SCHEMA analytics ")]
    public async Task TheCreateSchemaAMissingSchemasMessageSuggestsIsOnePostgreSqlRuns(string schema, string suggested)
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        using var folder = new TempFolder();

        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", database, "--schema", schema);

        summary.ExitCode.Should().Be((int)ExitCode.DatabaseMissing, summary.Stderr);
        summary.Stderr.Should().Contain(suggested);
        var statement = System.Text.RegularExpressions.Regex.Match(summary.Stderr, "CREATE SCHEMA (\"[^\"]+\"|\\S+)").Value;
        SharedDatabaseTests.Execute(database, statement);
        SharedDatabaseTests.Scalar<long>(database, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('user', 'order', 'analytics')").Should().Be(1, $"'{statement}' created {schema}");
    }

    // A name is the schema's real one: "My Schema" with its space and capitals, and LLM is not llm.
    [Fact]
    public async Task ASchemaNameThatNeedsQuotesIsUsedExactlyAsTyped()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        SharedDatabaseTests.Execute(database, "CREATE SCHEMA \"My Schema\"", "CREATE SCHEMA llm");
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var ingest = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database, "--schema", "My Schema");
        var export = await LlmLogProcess.RunAsync(folder.Path, "export", "--table", "calls", "--out", "-", "--db", database, "--schema", "My Schema");
        var upper = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database, "--schema", "LLM");

        ingest.ExitCode.Should().Be(0, ingest.Stderr);
        export.ExitCode.Should().Be(0, export.Stderr);
        export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "a header and the call");
        SharedDatabaseTests.Scalar<long>(database, "SELECT count(*) FROM \"My Schema\".calls").Should().Be(1);
        upper.ExitCode.Should().Be((int)ExitCode.DatabaseMissing, upper.Stderr);
        upper.Stderr.Should().Contain("schema \"LLM\", named by --schema, does not exist").And.Contain("CREATE SCHEMA \"LLM\"");
        SharedDatabaseTests.TablesIn(database, "llm").Should().BeEmpty();
    }

    [Fact]
    public async Task SchemaWithADuckDbWarehouseIsAUsageErrorAndCreatesNoFile()
    {
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var option = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", "wh.duckdb", "--schema", "llm");
        var variable = await LlmLogProcess.RunAsync(folder.Path,
            new LlmLogProcess.Options(Environment: new Dictionary<string, string> { [DatabaseTarget.SchemaVariable] = "llm" }), "summary");

        option.ExitCode.Should().Be((int)ExitCode.Usage, option.Stderr);
        option.Stderr.Should().Contain("--schema (llm) is for a PostgreSQL warehouse; a DuckDB warehouse is its file").And.Contain("another file").And.NotContain("   at ");
        variable.ExitCode.Should().Be((int)ExitCode.Usage, variable.Stderr);
        variable.Stderr.Should().Contain("LLMLOG_SCHEMA (llm) is for a PostgreSQL warehouse").And.Contain("unset LLMLOG_SCHEMA");
        Directory.GetFiles(folder.Path, "*.duckdb*").Should().BeEmpty();
    }

    // Set but empty was taken for unset: a unit's Environment=LLMLOG_DB=${URL} with URL unset loaded into ./llmlog.duckdb
    // with exit 0, where --db "" is a usage error (found by probing scheduled runs).
    [Theory]
    [InlineData(DatabaseTarget.EnvironmentVariable, "LLMLOG_DB is set but empty")]
    [InlineData(DatabaseTarget.SchemaVariable, "LLMLOG_SCHEMA is set but empty")]
    public async Task AVariableSetButEmptyIsAUsageErrorNotTheDefault(string variable, string says)
    {
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(folder.Path, new LlmLogProcess.Options(Environment: new Dictionary<string, string> { [variable] = "" }), "ingest", file);

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain(says);
        Directory.GetFiles(folder.Path, "*.duckdb*").Should().BeEmpty();
    }

    // Two places naming the schema differently: neither silently wins, and the user is told both.
    [Fact]
    public async Task SchemaAndADifferentSearchPathInDbOrPgOptionsIsAUsageErrorNamingBoth()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        SharedDatabaseTests.Execute(database, "CREATE SCHEMA llm", "CREATE SCHEMA other");
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var inDb = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database + ";Options=-c search_path=other", "--schema", "llm");
        var inPgOptions = await LlmLogProcess.RunAsync(folder.Path,
            new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["PGOPTIONS"] = "-c search_path=other" }),
            "ingest", file, "--db", database, "--schema", "llm");
        var same = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database + ";Options=-c search_path=llm", "--schema", "llm");

        inDb.ExitCode.Should().Be((int)ExitCode.Usage, inDb.Stderr);
        inDb.Stderr.Should().Contain("--schema names schema llm, but search_path is set to other in the options of --db");
        inPgOptions.ExitCode.Should().Be((int)ExitCode.Usage, inPgOptions.Stderr);
        inPgOptions.Stderr.Should().Contain("--schema names schema llm, but search_path is set to other in PGOPTIONS");
        same.ExitCode.Should().Be(0, "the same schema named twice is no conflict: " + same.Stderr);
        SharedDatabaseTests.TablesIn(database, "other").Should().BeEmpty();
        SharedDatabaseTests.Scalar<long>(database, "SELECT count(*) FROM llm.calls").Should().Be(1);
    }

    // Given before the command's name, as --db may be, it parses; generate opens no warehouse and must not ignore it.
    [Fact]
    public async Task SchemaDoesNotApplyToGenerate()
    {
        using var folder = new TempFolder();

        var run = await LlmLogProcess.RunAsync(folder.Path, "--schema", "llm", "generate", "1", "--out", folder.Combine("g.json"));

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain("--schema does not apply to generate");
    }

    [Theory]
    [InlineData("llm", "postgresql://etl@db.example:5432/wh (schema llm)", "\"llm\"")]
    [InlineData("My Schema", "postgresql://etl@db.example:5432/wh (schema \"My Schema\")", "\"My Schema\"")]
    [InlineData("a\"b", "postgresql://etl@db.example:5432/wh (schema \"a\"\"b\")", "\"a\"\"b\"")]
    public void TheTargetInASchemaNamesItAndSetsExactlyThatSearchPath(string schema, string display, string searchPath)
    {
        var target = InSchema("postgresql://etl@db.example/wh", schema);

        target.Display.Should().Be(display, "every message about the target (cannot open ..., has no calls yet) shows it");
        target.Schema.Should().Be(schema);
        new NpgsqlConnectionStringBuilder(target.ConnectionString).SearchPath.Should().Be(searchPath);
    }

    [Fact]
    public void ATargetWithoutASchemaIsShownAsBefore()
    {
        DatabaseTarget.Resolve("postgresql://etl@db.example/wh").Display.Should().Be("postgresql://etl@db.example:5432/wh");
    }

    // Bug: a warehouse chosen by a search_path in --db's options or PGOPTIONS was shown without it, so two warehouses in
    // two schemas of one database were alike in every message and in the export's manifest.
    [Theory]
    [InlineData("Host=db.example;Database=wh;Username=etl;Search Path=llm", null, "postgresql://etl@db.example:5432/wh (search_path llm)")]
    [InlineData("postgresql://etl@db.example/wh?options=-c%20search_path%3Dllm_test", null, "postgresql://etl@db.example:5432/wh (search_path llm_test)")]
    [InlineData("postgresql://etl@db.example/wh", "-c search_path=\"My\\ Schema\",public", "postgresql://etl@db.example:5432/wh (search_path \"My Schema\",public)")]
    [InlineData("postgresql://etl@db.example/wh", "-c statement_timeout=0", "postgresql://etl@db.example:5432/wh")]
    public void ATargetWhoseSearchPathIsSetShowsIt(string db, string? pgoptions, string display)
    {
        var environment = new PostgresEnvironment(name => name == "PGOPTIONS" ? pgoptions : null, _ => true);

        DatabaseTarget.Parse(db, "--db", environment).Display.Should().Be(display);
    }

    [Fact]
    public void ATargetInASchemaIsShownByItsSchemaEvenWhenItsSearchPathNamesTheSameOne()
    {
        InSchema("Host=db.example;Database=wh;Username=etl;Search Path=llm", "llm").Display
            .Should().Be("postgresql://etl@db.example:5432/wh (schema llm)");
    }

    [Theory]
    [InlineData("Host=db.example;Database=wh;Search Path=other", "--db")]
    [InlineData("Host=db.example;Database=wh;Options=--search_path=llm,public", "the options of --db")]
    [InlineData("host=db.example dbname=wh options='-csearch_path=\"LLM\"'", "the options of --db")]
    public void ASearchPathOtherThanTheSchemaIsAConflict(string db, string where)
    {
        var act = () => InSchema(db, "llm");

        act.Should().Throw<LlmLogException>().Which.Message.Should().Contain($"in {where}:");
    }

    [Theory]
    [InlineData("Host=db.example;Database=wh;Search Path=llm")]
    [InlineData("Host=db.example;Database=wh;Options=-c search_path=LLM")]
    [InlineData("Host=db.example;Database=wh;Options=-c statement_timeout=0")]
    public void ASearchPathNamingTheSameSchemaOrNoneIsNoConflict(string db)
    {
        new NpgsqlConnectionStringBuilder(InSchema(db, "llm").ConnectionString).SearchPath.Should().Be("\"llm\"");
    }

    [Theory]
    [InlineData("-c search_path=llm", "llm")]
    [InlineData("-csearch_path=a,b -c statement_timeout=0", "a,b")]
    [InlineData("--search-path=x", "x")]
    [InlineData("-c search_path=a,\\ \"My\\ Schema\"", "a, \"My Schema\"")]
    [InlineData("-c search_path=a -c search_path=b", "b")]
    [InlineData("-c statement_timeout=0", null)]
    public void TheSearchPathInServerOptionsIsReadAsTheServerReadsIt(string options, string? searchPath)
    {
        DatabaseTarget.SearchPathInOptions(options).Should().Be(searchPath);
    }

    // Bug: the check for a search_path naming a missing schema split it at every comma, so a quoted name holding one
    // ("a,b") was looked for as a schema named "a.
    [Theory]
    [InlineData("\"a,b\", public", "a,b")]
    [InlineData("\"$user\", public", "public")]
    [InlineData("pg_temp, LLM", "llm")]
    [InlineData("\"My Schema\"", "My Schema")]
    public void TheSchemaASearchPathMustHaveIsItsFirstNamedOneReadAsPostgreSqlReadsIt(string searchPath, string first)
    {
        WarehouseSchema.FirstNamed(searchPath).Should().Be(first);
    }

    [Fact]
    public void ASchemaNamePostgreSqlWouldCutShortIsAUsageError()
    {
        var act = () => InSchema("postgresql://etl@db.example/wh", new string('s', 64));

        act.Should().Throw<LlmLogException>().Which.Message.Should().Contain("at most 63");
    }

    private static DatabaseTarget InSchema(string db, string schema) =>
        DatabaseTarget.InSchema(DatabaseTarget.Parse(db), "--db", schema, "--schema", new PostgresEnvironment(_ => null, _ => true));
}
