using Dapper;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Warehouse;

/// <summary>
/// A warehouse in a PostgreSQL database other applications share, as a data team runs it: in a schema of its own,
/// chosen by search_path, beside other applications' tables, under roles that may create only in that schema.
/// llmlog never writes into a table it did not create (found by probing a shared database).
/// </summary>
public sealed class SharedDatabaseTests
{
    // Bug: CREATE TABLE IF NOT EXISTS skipped another application's calls, the first migration put llmlog's other tables
    // beside it, and the second failed with "column c.day does not exist" (exit 4, "rerunning is safe"). A Rails app's
    // schema_migrations was taken for llmlog's ledger.
    [Theory]
    [InlineData("calls", "CREATE TABLE calls (id integer PRIMARY KEY, caller text)", "INSERT INTO calls VALUES (1, 'alice')")]
    [InlineData("rejects", "CREATE TABLE rejects (record_id text, reason text)", "INSERT INTO rejects VALUES ('r1', 'theirs')")]
    [InlineData("schema_migrations", "CREATE TABLE schema_migrations (version varchar PRIMARY KEY)", "INSERT INTO schema_migrations VALUES ('20240101120000')")]
    public async Task AnotherApplicationsTableOfLlmLogsNameInTheSchemaIsRefusedAndLeftAsItIs(string table, string create, string insert)
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        Execute(database, create, insert);
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database);

        run.ExitCode.Should().Be((int)ExitCode.OccupiedSchema, run.Stderr);
        run.Stderr.Should().Contain($"schema public already holds {table}, which llmlog did not create").And.Contain("search_path").And.NotContain("   at ");
        TablesIn(database, "public").Should().Equal([table], "nothing of llmlog's is created beside it");
        Scalar<long>(database, $"SELECT count(*) FROM {table}").Should().Be(1);
    }

    // Bug: summary, report and export of a schema holding another application's calls said "run 'llmlog ingest' into it
    // first", and that ingest stops with exit 12 (found by probing summary --schema).
    [Fact]
    public async Task ReadingASchemaThatHoldsAnotherApplicationsCallsSaysTheyAreNotLlmLogsInsteadOfSendingToIngest()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        Execute(database, "CREATE TABLE calls (id integer PRIMARY KEY, caller text)");
        using var folder = new TempFolder();

        foreach (string[] command in (string[][])[["summary"], ["report", "--out", "r.html"], ["export", "--table", "calls", "--out", "-"]])
        {
            var run = await LlmLogProcess.RunAsync(folder.Path, [.. command, "--db", database]);

            run.ExitCode.Should().Be((int)ExitCode.NoData, run.Stderr);
            run.Stderr.Should().Contain("holds no llmlog warehouse in schema public: its table calls is another application's, not llmlog's")
                .And.NotContain("run 'llmlog ingest' into it first");
        }
        TablesIn(database, "public").Should().Equal(["calls"]);
    }

    // Bug: the tables in the way were read from information_schema, which shows a role only the tables it has a privilege
    // on: another application's calls that llmlog's role may not read was not seen, and the migration failed on it.
    [Fact]
    public async Task AnotherApplicationsTableThatLlmLogsRoleMayNotReadIsRefusedAsInTheWay()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var etl = "llmlog_etl_" + Guid.NewGuid().ToString("N")[..12];
        // Identifiers cannot be parameters; the name is made here of letters and hex digits only.
        Execute(database, "CREATE TABLE calls (id integer PRIMARY KEY, caller text)", $"CREATE ROLE {etl} LOGIN PASSWORD 'etl-secret'",
            $"GRANT CREATE, USAGE ON SCHEMA public TO {etl}");
        try
        {
            var asEtl = new NpgsqlConnectionStringBuilder(database) { Username = etl, Password = "etl-secret", Pooling = false }.ConnectionString;
            using var folder = new TempFolder();
            var file = folder.File("export.json", Some.Export([Some.Call()]));

            var run = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", asEtl);

            run.ExitCode.Should().Be((int)ExitCode.OccupiedSchema, run.Stderr);
            run.Stderr.Should().Contain("schema public already holds calls, which llmlog did not create");
            TablesIn(database, "public").Should().Equal(["calls"], "nothing of llmlog's is created beside it");
        }
        finally
        {
            Execute(database, $"DROP OWNED BY {etl}", $"DROP ROLE {etl}");
        }
    }

    [Fact]
    public async Task AWarehouseInItsOwnSchemaBesideAnotherApplicationsCallsIsWrittenAndReadThereAlone()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        Execute(database, "CREATE TABLE calls (id integer PRIMARY KEY, caller text)", "INSERT INTO calls VALUES (1, 'alice')", "CREATE SCHEMA llm");
        var inLlm = database + ";Options=-c search_path=llm,public";
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call(), Some.Call()]));

        (await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", inLlm)).ExitCode.Should().Be(0);
        var export = await LlmLogProcess.RunAsync(folder.Path, "export", "--table", "calls", "--out", "-", "--db", inLlm);

        export.ExitCode.Should().Be(0, export.Stderr);
        export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3, "a header and the two calls");
        TablesIn(database, "public").Should().Equal(["calls"]);
        Scalar<long>(database, "SELECT count(*) FROM llm.calls").Should().Be(2);
    }

    // Bug: a search_path whose schema did not exist failed with "no schema has been selected to create in" (exit 4), and
    // with "llm, public" put the warehouse into public unasked.
    [Theory]
    [InlineData("llm")]
    [InlineData("llm, public")]
    public async Task ASearchPathNamingASchemaThatDoesNotExistIsNamedAndNothingIsCreated(string searchPath)
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var target = database + ";Options=-c search_path=" + searchPath.Replace(" ", "", StringComparison.Ordinal);
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var ingest = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", target);
        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", target);

        foreach (var run in new[] { ingest, summary })
        {
            run.ExitCode.Should().Be((int)ExitCode.DatabaseMissing, run.Stderr);
            run.Stderr.Should().Contain("search_path names schema llm, which does not exist").And.Contain("CREATE SCHEMA llm").And.NotContain("   at ");
        }
        TablesIn(database, "public").Should().BeEmpty();
    }

    // Bug: search_path = '' set for the database read "search_path names schema , which does not exist; create it
    // (CREATE SCHEMA "" ...)", which is no statement (found by probing PostgreSQL as DBAs run it).
    [Fact]
    public async Task AnEmptySearchPathIsSaidToBeEmptyWithTheSchemaOptionAsTheWayOut()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        Execute(database, $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(database).Database}\" SET search_path = ''");
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database);

        run.ExitCode.Should().Be((int)ExitCode.DatabaseMissing, run.Stderr);
        run.Stderr.Should().Contain("search_path is empty (set so for this database or role, or in --db's options or PGOPTIONS); name one with --schema llm")
            .And.NotContain("CREATE SCHEMA \"\"");
        TablesIn(database, "public").Should().BeEmpty();
    }

    // Bug: since PostgreSQL 15 only the database's owner may create in public, and a new role's first ingest was told
    // its warehouse had "an older schema than this llmlog". README's GRANT lines named public only.
    [Fact]
    public async Task ARoleThatMayCreateOnlyInItsOwnSchemaKeepsAWarehouseThereThatAReaderOfTheSchemaReads()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        string etl = "llmlog_etl_" + suffix, reader = "llmlog_reader_" + suffix;
        // Identifiers cannot be parameters; the names are made here of letters and hex digits only.
        Execute(database, $"CREATE ROLE {etl} LOGIN PASSWORD 'etl-secret'", $"CREATE ROLE {reader} LOGIN PASSWORD 'reader-secret'",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        try
        {
            var asEtl = new NpgsqlConnectionStringBuilder(database) { Username = etl, Password = "etl-secret", Pooling = false };
            using var folder = new TempFolder();
            var file = folder.File("export.json", Some.Export([Some.Call()]));

            var refused = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", asEtl.ConnectionString);
            refused.ExitCode.Should().Be((int)ExitCode.ReadOnly, refused.Stderr);
            refused.Stderr.Should().Contain("creating llmlog's warehouse").And.Contain("CREATE SCHEMA llm").And.NotContain("older schema");

            Execute(database, $"CREATE SCHEMA llm AUTHORIZATION {etl}", $"GRANT USAGE ON SCHEMA llm TO {reader}");
            asEtl.Options = "-c search_path=llm";
            (await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", asEtl.ConnectionString)).ExitCode.Should().Be(0);
            // README's lines for a reader, as the warehouse's owner runs them.
            Execute(asEtl.ConnectionString, $"GRANT SELECT ON ALL TABLES IN SCHEMA llm TO {reader}",
                $"ALTER DEFAULT PRIVILEGES IN SCHEMA llm GRANT SELECT ON TABLES TO {reader}");
            var asReader = new NpgsqlConnectionStringBuilder(database) { Username = reader, Password = "reader-secret", Pooling = false, Options = "-c search_path=llm" };
            var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--format", "csv", "--db", asReader.ConnectionString);
            summary.ExitCode.Should().Be(0, summary.Stderr);
            summary.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "a header and the call's day");
        }
        finally
        {
            Execute(database, $"DROP OWNED BY {etl}", $"DROP OWNED BY {reader}", $"DROP ROLE {etl}", $"DROP ROLE {reader}");
        }
    }

    // Bug: PostgreSQL leaves a schema the role lacks USAGE on out of the search path, and information_schema a table it
    // lacks SELECT on, so a reader without those grants was told the warehouse did not exist (exit 10 "create it", exit 6
    // "run 'llmlog ingest' into it first"), and its ingest to create a schema for a new warehouse (found by probing the
    // docs). Each is told which GRANT it lacks, with the exit code for a missing privilege.
    [Fact]
    public async Task AReaderWithoutUsageOnTheSchemaOrSelectOnTheLedgerIsToldWhichGrantItLacks()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var reader = "llmlog_reader_" + Guid.NewGuid().ToString("N")[..12];
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));
        // Identifiers cannot be parameters; the name is made here of letters and hex digits only.
        Execute(database, "CREATE SCHEMA llm", $"CREATE ROLE {reader} LOGIN PASSWORD 'reader-secret'");
        try
        {
            (await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database)).ExitCode.Should().Be(0);
            (await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database, "--schema", "llm")).ExitCode.Should().Be(0);
            Execute(database, $"GRANT USAGE ON SCHEMA public TO {reader}", $"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}",
                $"REVOKE SELECT ON public.schema_migrations FROM {reader}", $"GRANT SELECT ON ALL TABLES IN SCHEMA llm TO {reader}");
            var asReader = new NpgsqlConnectionStringBuilder(database) { Username = reader, Password = "reader-secret", Pooling = false }.ConnectionString;

            var noUsage = await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", asReader, "--schema", "llm");
            var noLedger = await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", asReader);
            var ingest = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--force", "--json", "--db", asReader);

            noUsage.ExitCode.Should().Be((int)ExitCode.ReadOnly, noUsage.Stderr);
            noUsage.Stderr.Should().Contain("schema llm, named by --schema, exists, but the role llmlog runs as lacks USAGE on it").And.Contain("GRANT USAGE ON SCHEMA llm");
            foreach (var run in new[] { noLedger, ingest })
            {
                run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
                run.Stderr.Should().Contain("permission denied for table schema_migrations").And.NotContain("holds no llmlog warehouse").And.NotContain("CREATE SCHEMA");
            }
            // --json still prints its object when the error is the database's own (found by review: stdout was empty).
            var json = System.Text.Json.Nodes.JsonNode.Parse(ingest.Stdout)!;
            ((int)json["exit_code"]!).Should().Be((int)ExitCode.ReadOnly);
            ((string)json["message"]!).Should().Contain("permission denied for table schema_migrations");
        }
        finally
        {
            Execute(database, $"DROP OWNED BY {reader}", $"DROP ROLE {reader}");
        }
    }

    // Bug: every llmlog took one database-wide advisory lock, so a report on one team's warehouse made another team's
    // ingest, in another schema of the same database, wait and fail with exit 7.
    [Fact]
    public async Task TwoWarehousesInTwoSchemasOfOneDatabaseDoNotWaitForEachOther()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        Execute(database, "CREATE SCHEMA team_a", "CREATE SCHEMA team_b");
        string inA = database + ";Options=-c search_path=team_a", inB = database + ";Options=-c search_path=team_b";
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        using (var holder = WarehouseConnection.Open(DatabaseTarget.Parse(inA), TimeSpan.FromSeconds(30)))
        {
            holder.AcquireWriterLock(TimeSpan.Zero);
            var other = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", inB, "--lock-timeout", "0");
            var same = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", inA, "--lock-timeout", "0");

            other.ExitCode.Should().Be(0, other.Stderr);
            same.ExitCode.Should().Be((int)ExitCode.Locked, "one writer per warehouse: " + same.Stderr);
        }
        (await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", inA, "--lock-timeout", "0")).ExitCode.Should().Be(0);
        Scalar<long>(database, "SELECT count(*) FROM team_a.calls").Should().Be(1);
        Scalar<long>(database, "SELECT count(*) FROM team_b.calls").Should().Be(1);
        Scalar<long>(database, "SELECT count(*) FROM team_a.schema_migrations").Should().Be(Scalar<long>(database, "SELECT count(*) FROM team_b.schema_migrations"));
    }

    // An llmlog built before the per-schema lock took the database-wide key alone: it and this one must still exclude each other.
    [Fact]
    public async Task AnEarlierLlmLogHoldingTheDatabaseWideLockStillKeepsThisOneOut()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        Execute(database, "CREATE SCHEMA llm");
        using var folder = new TempFolder();
        var file = folder.File("export.json", Some.Export([Some.Call()]));
        using var earlier = new NpgsqlConnection(database);
        earlier.Open();
        earlier.Execute("SELECT pg_advisory_lock(@key)", new { key = WarehouseConnection.AdvisoryLockKey });

        var run = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database + ";Options=-c search_path=llm", "--lock-timeout", "0");

        run.ExitCode.Should().Be((int)ExitCode.Locked, run.Stderr);
        earlier.Execute("SELECT pg_advisory_unlock_all()");
        using var now = WarehouseConnection.Open(DatabaseTarget.Parse(database + ";Options=-c search_path=llm"), TimeSpan.FromSeconds(30));
        now.AcquireWriterLock(TimeSpan.Zero);
        earlier.ExecuteScalar<bool>("SELECT pg_try_advisory_lock(@key)", new { key = WarehouseConnection.AdvisoryLockKey })
            .Should().BeFalse("this llmlog holds the database-wide key shared while it writes");
    }

    // The same on DuckDB: a database file another tool made, with a calls table of its own.
    // Bug: its ingest got PostgreSQL's advice ("CREATE SCHEMA llm, then --schema llm"), which DuckDB refuses, and summary,
    // report and export stopped with that ingest's refusal, exit 12 (found by the thirtieth session's probe of the report).
    [Fact]
    public async Task ADuckDbFileWithAnotherToolsCallsTableIsRefusedForWhatItIsAndLeftAsItIs()
    {
        using var folder = new TempFolder();
        var database = folder.Combine("shared.duckdb");
        using (var c = new DuckDB.NET.Data.DuckDBConnection($"Data Source={database}"))
        {
            c.Open();
            c.Execute("CREATE TABLE calls (id INTEGER, caller TEXT)");
            c.Execute("INSERT INTO calls VALUES (1, 'alice')");
        }
        var file = folder.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database);

        run.ExitCode.Should().Be((int)ExitCode.OccupiedSchema, run.Stderr);
        run.Stderr.Should().Contain("the file already holds calls, which llmlog did not create").And.Contain("give llmlog a DuckDB file of its own")
            .And.NotContain("CREATE SCHEMA").And.NotContain("   at ");
        foreach (string[] command in (string[][])[["summary"], ["report", "--out", "r.html"], ["export", "--table", "calls", "--out", "-"]])
        {
            var read = await LlmLogProcess.RunAsync(folder.Path, [.. command, "--db", database]);

            read.ExitCode.Should().Be((int)ExitCode.NoData, read.Stderr);
            read.Stderr.Should().Contain($"{database} holds no llmlog warehouse: its table calls is another application's, not llmlog's")
                .And.NotContain("CREATE SCHEMA").And.NotContain("run 'llmlog ingest'");
        }
        using var look = new DuckDB.NET.Data.DuckDBConnection($"Data Source={database}");
        look.Open();
        look.Query<string>("SELECT table_name FROM information_schema.tables ORDER BY table_name").Should().Equal(["calls"]);
        look.ExecuteScalar<long>("SELECT count(*) FROM calls").Should().Be(1);
    }

    internal static List<string> TablesIn(string connectionString, string schema)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection.Query<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema ORDER BY table_name", new { schema }).ToList();
    }

    internal static T Scalar<T>(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection.ExecuteScalar<T>(sql)!;
    }

    internal static void Execute(string connectionString, params string[] statements)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        foreach (var statement in statements) connection.Execute(statement);
    }
}
