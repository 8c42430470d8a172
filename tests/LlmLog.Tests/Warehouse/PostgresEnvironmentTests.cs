using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Warehouse;

/// <summary>What a PostgreSQL target leaves out is taken from PGHOST, PGPORT, PGDATABASE and PGSSLMODE, as psql takes it.</summary>
public class PostgresEnvironmentTests
{
    // "--db dbname=wh" was exit 2 asking for host=..., where "psql -d wh" connects.
    [Theory]
    [InlineData("dbname=wh")]
    [InlineData("postgresql:///wh")]
    [InlineData("postgres:///wh")]
    [InlineData("Database=wh")]
    public void ATargetWithoutAHostTakesHostPortAndSslModeFromTheEnvironment(string db)
    {
        var target = Parse(db, ("PGHOST", "/tmp/sock"), ("PGPORT", "5502"), ("PGSSLMODE", "disable"));

        var b = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        (b.Host, b.Port, b.Database, b.SslMode).Should().Be(("/tmp/sock", 5502, "wh", SslMode.Disable));
        target.Display.Should().Be("postgresql://%2Ftmp%2Fsock:5502/wh");
    }

    // Bug: Npgsql takes PGCLIENTENCODING for the connection's client_encoding, yet writes UTF-8 whatever it says: a job
    // whose environment set LATIN1 for psql's terminal stored "gpt-4ó" as "gpt-4Ã³", exit 0, and a report or --model of a
    // UTF-8 session no longer found it (found by probing both engines). llmlog's connection always says UTF8.
    [Fact]
    public async Task PgClientEncodingForPsqlLeavesTextStoredAsItWasRead()
    {
        var database = await LlmLog.Tests.Support.PostgresServer.Shared.CreateDatabaseAsync();
        using var folder = new LlmLog.Tests.Support.TempFolder();
        var file = folder.File("calls.json", LlmLog.Tests.Support.Some.Export([LlmLog.Tests.Support.Some.Call(model: "gpt-4ó")]));
        var latin1 = new LlmLog.Tests.Support.LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["PGCLIENTENCODING"] = "LATIN1" });

        var run = await LlmLog.Tests.Support.LlmLogProcess.RunAsync(folder.Path, latin1, "ingest", file, "--db", database);

        run.ExitCode.Should().Be(0, run.Stderr);
        SharedDatabaseTests.Scalar<string>(database, "SELECT model FROM calls").Should().Be("gpt-4ó");
        var export = await LlmLog.Tests.Support.LlmLogProcess.RunAsync(folder.Path, latin1, "export", "--table", "calls", "--out", "-", "--db", database, "--model", "gpt-4ó");
        export.ExitCode.Should().Be(0, export.Stderr);
        export.Stdout.Should().Contain(",gpt-4ó,");
    }

    // A DBA looking at pg_stat_activity saw llmlog's sessions without a name (found by probing PostgreSQL as DBAs run it).
    [Theory]
    [InlineData("host=db.example dbname=llm", null, "llmlog")]
    [InlineData("host=db.example dbname=llm application_name=nightly-etl", null, "nightly-etl")]
    [InlineData("host=db.example dbname=llm", "from-env", null)]
    public void LlmLogsSessionsAreNamedLlmLogUnlessTheTargetOrPgAppNameNamesThem(string db, string? pgappname, string? expected)
    {
        var b = pgappname is null ? BuilderOf(db) : BuilderOf(db, ("PGAPPNAME", pgappname));

        b.ApplicationName.Should().Be(expected, "a name in PGAPPNAME is left to Npgsql, which reads it");
    }

    // Bug: in a LATIN1 database a record holding a character LATIN1 lacks failed its whole file, "run the same command
    // again once the database is back", which never helped (found by probing PostgreSQL as DBAs run it).
    [Fact]
    public async Task ADatabaseThatCannotHoldEveryCharacterIsRefusedBeforeAnythingIsWritten()
    {
        var database = await LlmLog.Tests.Support.PostgresServer.Shared.CreateDatabaseAsync(options: "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        using var folder = new LlmLog.Tests.Support.TempFolder();
        var file = folder.File("calls.json", LlmLog.Tests.Support.Some.Export([LlmLog.Tests.Support.Some.Call(model: "模型-1")]));

        var run = await LlmLog.Tests.Support.LlmLogProcess.RunAsync(folder.Path, "ingest", file, "--db", database);

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain("the database's encoding is LATIN1, which cannot hold every character a log may carry").And.Contain("ENCODING 'UTF8'")
            .And.NotContain("once the database is back");
        SharedDatabaseTests.TablesIn(database, "public").Should().BeEmpty();
    }

    // Bug: an idle_session_timeout set for the database ended a session of llmlog's that waited while another worked (the
    // refresh's second slice, a report's readers), and the run failed with "the connection to the PostgreSQL server was
    // lost", again on every rerun (found by probing PostgreSQL as DBAs run it with a 300k-record file). A session of
    // llmlog's idle past the timeout still works.
    [Fact]
    public async Task AnIdleSessionTimeoutOfTheDatabaseDoesNotEndLlmLogsSessions()
    {
        var database = await LlmLog.Tests.Support.PostgresServer.Shared.CreateDatabaseAsync();
        SharedDatabaseTests.Execute(database, $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(database).Database}\" SET idle_session_timeout = '200ms'");
        using var warehouse = WarehouseConnection.Open(DatabaseTarget.Parse(database), TimeSpan.FromSeconds(10));
        using var sibling = warehouse.OpenSibling();

        await Task.Delay(TimeSpan.FromMilliseconds(800));

        var count = () => Dapper.SqlMapper.ExecuteScalar<long>(sibling.Connection, "SELECT count(*) FROM calls")
            + Dapper.SqlMapper.ExecuteScalar<long>(warehouse.Connection, "SELECT count(*) FROM calls");
        count.Should().NotThrow().Which.Should().Be(0);
    }

    [Theory]
    [InlineData("postgresql://")]
    [InlineData("postgresql:///")]
    [InlineData("port=6543")]
    public void ATargetWithoutADatabaseTakesPgDatabase(string db)
    {
        BuilderOf(db, ("PGHOST", "db.example"), ("PGDATABASE", "llm")).Database.Should().Be("llm");
    }

    [Theory]
    [InlineData("host=db.example port=6543 dbname=llm sslmode=require")]
    [InlineData("postgresql://db.example:6543/llm?sslmode=require")]
    [InlineData("Host=db.example;Port=6543;Database=llm;SSL Mode=Require")]
    public void WhatTheTargetNamesWinsOverTheEnvironment(string db)
    {
        var b = BuilderOf(db, ("PGHOST", "/tmp/sock"), ("PGPORT", "5502"), ("PGDATABASE", "other"), ("PGSSLMODE", "disable"));

        (b.Host, b.Port, b.Database, b.SslMode).Should().Be(("db.example", 6543, "llm", SslMode.Require));
    }

    [Fact]
    public void AnExplicitDefaultPortIsNotReplacedByPgPort()
    {
        BuilderOf("host=db.example port=5432 dbname=llm", ("PGPORT", "5502")).Port.Should().Be(5432);
    }

    // libpq pairs a list of ports with the list of hosts, in order; "port=5432,5433" was "must be a whole number" (exit 2),
    // and a PGPORT list "must be a port number", so a target for a primary and its standby could not be written.
    [Theory]
    [InlineData("host=primary.example,standby.example port=5432,5433 dbname=llm")]
    [InlineData("port=5432,5433 host=primary.example,standby.example dbname=llm")]
    [InlineData("postgresql:///llm?host=primary.example,standby.example&port=5432,5433")]
    [InlineData("postgresql://primary.example:5432,standby.example:5433/llm")]
    public void AListOfPortsPairsWithTheListOfHostsInOrder(string db)
    {
        var target = Parse(db);

        new NpgsqlConnectionStringBuilder(target.ConnectionString).Host.Should().Be("primary.example:5432,standby.example:5433");
        target.Display.Should().Be("postgresql://primary.example:5432,standby.example:5433/llm");
    }

    [Fact]
    public void APgPortListPairsWithThePgHostList()
    {
        BuilderOf("dbname=llm", ("PGHOST", "primary.example,standby.example"), ("PGPORT", "5432,5433")).Host
            .Should().Be("primary.example:5432,standby.example:5433");
        Parse("dbname=llm", ("PGHOST", "primary.example,standby.example"), ("PGPORT", "6543")).Display
            .Should().Be("postgresql://primary.example:6543,standby.example:6543/llm");
    }

    [Theory]
    [InlineData("host=a,b,c port=5432,5433 dbname=llm", "--db: port lists 2 ports (5432,5433) for 3 hosts (a,b,c)")]
    [InlineData("host=a,b port=5432,543x dbname=llm", "--db: port must be a port number between 1 and 65535, or a list of them")]
    [InlineData("host=a,b target_session_attrs=primari dbname=llm", "target_session_attrs must be one of any, read-write")]
    [InlineData("host=a,b load_balance_hosts=yes dbname=llm", "load_balance_hosts must be disable or random")]
    // Npgsql stopped this with an internal error (exit 1): it checks a server's kind only among several hosts.
    [InlineData("host=a target_session_attrs=read-write dbname=llm", "target_session_attrs=read-write needs several hosts")]
    public void AListOfPortsThatDoesNotMatchTheHostsOrAnUnknownChoiceIsAUsageError(string db, string message)
    {
        var parse = () => Parse(db);

        var error = parse.Should().Throw<LlmLogException>().Which;
        error.Code.Should().Be(ExitCode.Usage);
        error.Message.Should().Contain(message);
    }

    // Both were "a libpq parameter llmlog does not read".
    [Theory]
    [InlineData("host=a,b dbname=llm target_session_attrs=read-write load_balance_hosts=random")]
    [InlineData("postgresql://a,b/llm?target_session_attrs=read-write&load_balance_hosts=random")]
    public void TargetSessionAttrsAndLoadBalanceHostsChooseAmongTheHosts(string db)
    {
        var b = BuilderOf(db);

        (b.TargetSessionAttributes, b.LoadBalanceHosts).Should().Be(("read-write", true));
    }

    // psql's default host is the local server's socket; Debian's libpq looks in /var/run/postgresql, PostgreSQL's own build in /tmp.
    [Theory]
    [InlineData(true, "/var/run/postgresql")]
    [InlineData(false, "/tmp")]
    public void WithoutPgHostTheLocalServersSocketFolderIsUsed(bool packagedFolderExists, string expected)
    {
        var environment = new PostgresEnvironment(_ => null, folder => packagedFolderExists && folder == "/var/run/postgresql");

        var target = DatabaseTarget.Parse("dbname=wh", "--db", environment);

        var b = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        (b.Host, b.Port, b.Database).Should().Be((expected, 5432, "wh"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AnEmptyPgHostCountsAsUnset(string pghost)
    {
        var environment = new PostgresEnvironment(name => name == "PGHOST" ? pghost : null, folder => folder == "/var/run/postgresql");

        new NpgsqlConnectionStringBuilder(DatabaseTarget.Parse("dbname=wh", "--db", environment).ConnectionString).Host.Should().Be("/var/run/postgresql");
    }

    // Npgsql reads PGUSER and PGPASSWORD itself when it connects: copying them would put the password into the target.
    [Fact]
    public void PgUserAndPgPasswordAreLeftToNpgsqlAndNeverWrittenIntoTheTarget()
    {
        var target = Parse("dbname=wh", ("PGHOST", "db.example"), ("PGUSER", "etl"), ("PGPASSWORD", "hunter2"));

        target.ConnectionString.Should().NotContain("hunter2").And.NotContain("etl");
        target.Display.Should().NotContain("hunter2");
    }

    [Theory]
    [InlineData("PGPORT", "x", "PGPORT must be a port number")]
    [InlineData("PGPORT", "70000", "PGPORT must be a port number")]
    [InlineData("PGPORT", "5432,x", "PGPORT must be a port number")]
    [InlineData("PGPORT", "5432,5433", "PGPORT lists 2 ports (5432,5433) for 1 host (db.example)")]
    [InlineData("PGSSLMODE", "verify_full", "PGSSLMODE: sslmode must be one of")]
    public void AnUnreadableVariableIsAUsageErrorNamingIt(string variable, string value, string message)
    {
        var parse = () => Parse("dbname=wh", ("PGHOST", "db.example"), (variable, value));

        var error = parse.Should().Throw<LlmLogException>().Which;
        error.Code.Should().Be(ExitCode.Usage);
        error.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData("wh")]
    [InlineData("wh.duckdb")]
    [InlineData("./dbname=wh")]
    public void WithPgHostSetAFilePathIsStillADuckDbFile(string db)
    {
        Parse(db, ("PGHOST", "db.example"), ("PGDATABASE", "wh")).Engine.Should().Be(Engine.DuckDb);
    }

    [Theory]
    [InlineData("postgresql:/etl:hunter2@db.example/wh")]
    [InlineData("postgress://etl:hunter2@/wh")]
    public void WithPgHostSetAMistypedUriIsStillAUsageErrorWithoutThePassword(string db)
    {
        var parse = () => Parse(db, ("PGHOST", "db.example"));

        var error = parse.Should().Throw<LlmLogException>().Which;
        error.Code.Should().Be(ExitCode.Usage);
        error.Message.Should().Contain("mistyped PostgreSQL URI").And.NotContain("hunter2");
    }

    private static DatabaseTarget Parse(string db, params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value);
        // No socket folder exists, so a test never depends on the machine's PostgreSQL installation.
        return DatabaseTarget.Parse(db, "--db", new PostgresEnvironment(name => values.GetValueOrDefault(name), _ => false));
    }

    private static NpgsqlConnectionStringBuilder BuilderOf(string db, params (string Name, string Value)[] variables)
    {
        var target = Parse(db, variables);
        target.Engine.Should().Be(Engine.Postgres);
        return new NpgsqlConnectionStringBuilder(target.ConnectionString);
    }
}
