using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Warehouse;

/// <summary>How --db is read into a connection.</summary>
public class DatabaseTargetTests
{
    [Theory]
    [InlineData("Host=db.example;Database=llm;Username=etl")]
    [InlineData("postgresql://etl@db.example:5432/llm")]
    public void PostgreSqlStatementsRunWithoutATimeLimitByDefault(string db)
    {
        // Npgsql's default 30 s cancelled the count of a 10M-call run and failed the whole load.
        CommandTimeoutOf(db).Should().Be(0);
    }

    [Theory]
    [InlineData("Host=db.example;Database=llm;Command Timeout=45")]
    [InlineData("host=db.example;database=llm;commandtimeout=45")]
    [InlineData("postgresql://etl@db.example:5432/llm?command_timeout=45")]
    public void ATimeLimitInTheConnectionStringIsKept(string db)
    {
        CommandTimeoutOf(db).Should().Be(45);
    }

    // Bug: Npgsql sends UTF-8 whatever client_encoding says, so client_encoding=LATIN1 stored every non-ASCII text garbled,
    // with exit 0 (found by probing both engines). A target may not ask for another encoding.
    [Theory]
    [InlineData("host=db.example dbname=llm client_encoding=LATIN1", "LATIN1")]
    [InlineData("postgresql://etl@db.example/llm?client_encoding=WIN1252", "WIN1252")]
    [InlineData("Host=db.example;Database=llm;Client Encoding=SQL_ASCII", "SQL_ASCII")]
    public void AClientEncodingOtherThanUtf8IsAUsageError(string db, string named)
    {
        var act = () => DatabaseTarget.Parse(db);

        act.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage)
            .WithMessage($"--db sets client_encoding {named}: llmlog sends and reads text as UTF-8*leave client_encoding out (or set it to UTF8)");
    }

    [Theory]
    [InlineData("host=db.example dbname=llm")]
    [InlineData("host=db.example dbname=llm client_encoding=utf8")]
    [InlineData("Host=db.example;Database=llm;Client Encoding=UNICODE")]
    public void TheConnectionAlwaysSaysUtf8(string db) =>
        new NpgsqlConnectionStringBuilder(DatabaseTarget.Parse(db).ConnectionString).ClientEncoding.Should().Be("UTF8");

    [Fact]
    public void LibpqsSpaceSeparatedKeywordsAreReadAsPsqlReadsThem()
    {
        // "host=127.0.0.1 port=54329 user=postgres dbname=odd" was taken whole as a host name (exit 8).
        var target = DatabaseTarget.Parse("host=db.example port=6543 dbname=llm user=etl password='p w\\'d' sslmode=require");

        target.Engine.Should().Be(Engine.Postgres);
        var b = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        (b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode, b.CommandTimeout).Should().Be(("db.example", 6543, "llm", "etl", "p w'd", SslMode.Require, 0));
        target.Display.Should().Be("postgresql://etl@db.example:6543/llm");
    }

    // Bug: an empty value, which psql takes as the default, was refused as settings run together ("the value of Host
    // holds 'port=', 'dbname='") though the string had no comma (found by probing the docs).
    [Theory]
    [InlineData("host=/tmp/sock port=5502 dbname=llm user=etl application_name=")]
    [InlineData("host=/tmp/sock port=5502 dbname=llm user=etl application_name='' sslmode=")]
    [InlineData("host=/tmp/sock port=5502 dbname=llm user=etl application_name=nightly application_name=")]
    public void AnEmptyLibpqValueLeavesTheSettingAtItsDefaultAsPsqlDoes(string db)
    {
        BuilderOf(db).ConnectionString.Should().Be(BuilderOf("host=/tmp/sock port=5502 dbname=llm user=etl").ConnectionString);
    }

    [Theory]
    [InlineData("host=db.example dbname=llm keepalives=1", "'keepalives'")]
    // Each of these used to become a new DuckDB file of that name, exit 0.
    [InlineData("service=prod", "'service'")]
    [InlineData("postgresql://etl@db.example/llm?service=prod", "'service'")]
    [InlineData("bogus=1", "connection string")]
    public void ALibpqParameterLlmlogDoesNotReadIsAUsageErrorNamingIt(string db, string named)
    {
        UsageErrorOf(db).Should().Contain(named);
    }

    // Bug: Npgsql's own words reached the user: "--db looks like a PostgreSQL connection string but cannot be read:
    // Couldn't set backup (Parameter 'backup')", for a DuckDB file named backup=2024.duckdb as for a mistyped port.
    [Theory]
    [InlineData("backup=2024.duckdb", "'backup' is not a setting of an Npgsql connection string", "is written ./backup=")]
    [InlineData("Host=db.example;Frobnicate=1", "'Frobnicate' is not a setting of an Npgsql connection string", "Host=db;Database=llm")]
    [InlineData("Host=db.example;Port=abc", "the value of Port cannot be read", "a number for Port")]
    public void AnNpgsqlSettingItCannotTakeIsNamedWithWhatToDo(string db, string named, string hint)
    {
        UsageErrorOf(db).Should().Contain(named).And.Contain(hint).And.NotContain("Couldn't set");
    }

    // Bug: "postgresql:/etl:hunter2@db..." (one slash) or a misspelt scheme was taken for a DuckDB file path, and the
    // error, the JSON log and ingest --json printed the password; without a '/' it became a new DuckDB file, exit 0.
    [Theory]
    [InlineData("postgresql:/etl:hunter2@db.example:5432/wh")]
    [InlineData("postgres:/etl:hunter2@db/wh")]
    [InlineData("POSTGRESQL:etl:hunter2@db.example/wh")]
    [InlineData("postgres:hunter2@127.0.0.1")]
    [InlineData("postgresq://etl:hunter2@db.example/wh")]
    [InlineData("postgress://etl:hunter2@db.example/wh")]
    [InlineData("pgsql://etl:hunter2@db.example/wh")]
    public void AMistypedPostgresUriIsAUsageErrorShowingTheExpectedFormWithoutThePassword(string db)
    {
        var message = UsageErrorOf(db);

        message.Should().Contain("mistyped PostgreSQL URI").And.Contain("write it as postgresql://user@host:port/database").And.NotContain("hunter2");
    }

    [Theory]
    [InlineData("etl:hunter2@db.example/wh")]
    [InlineData("backups/password=hunter2.duckdb")]
    [InlineData("mysql://etl:hunter2@db.example/wh")]
    public void AValueHoldingAPasswordOrAnotherUriIsNeverADuckDbFile(string db)
    {
        UsageErrorOf(db).Should().NotContain("hunter2");
    }

    [Theory]
    [InlineData("wh.duckdb")]
    [InlineData("data/2024:01/wh.duckdb")]
    [InlineData("C:wh.duckdb")]
    [InlineData("team@example/wh.duckdb")]
    public void AnOrdinaryFilePathIsStillADuckDbFile(string db)
    {
        DatabaseTarget.Parse(db).Engine.Should().Be(Engine.DuckDb);
    }

    // psql takes a single pair; "dbname=wh" and "host=..." became DuckDB files.
    [Theory]
    [InlineData("host=db.example")]
    [InlineData("  host = db.example  ")]
    public void ASingleLibpqPairIsAPostgresTarget(string db)
    {
        BuilderOf(db).Host.Should().Be("db.example");
    }

    [Fact]
    public void AnUnencodedAtInAUriPasswordIsAUsageErrorSuggestingPercentEncodingThatShowsNoPartOfThePassword()
    {
        // "***@SuperSecretTail99@127.0.0.1" was printed: the mask stopped at the first '@'.
        var message = UsageErrorOf("postgresql://etl:a@SuperSecretTail99@127.0.0.1:5502/wh2");

        message.Should().Contain("as %40").And.NotContain("SuperSecretTail99").And.Contain("127.0.0.1:5502/wh2");
    }

    // psql accepts both; llmlog refused them (exit 2).
    [Theory]
    [InlineData("postgresql:///wh?host=/tmp/sock&port=5502&user=postgres&password=secret")]
    [InlineData("postgresql://postgres:secret@%2Ftmp%2Fsock:5502/wh")]
    [InlineData("postgres://postgres:secret@/wh?host=%2Ftmp%2Fsock&port=5502")]
    public void AUnixSocketUriIsReadAsPsqlReadsIt(string db)
    {
        var target = DatabaseTarget.Parse(db);

        var b = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        (b.Host, b.Port, b.Database, b.Username, b.Password).Should().Be(("/tmp/sock", 5502, "wh", "postgres", "secret"));
        target.Display.Should().Be("postgresql://postgres@%2Ftmp%2Fsock:5502/wh");
    }

    [Fact]
    public void TheTargetIsShownAsAUriThatReadsBackWithSpacesInItsNames()
    {
        // "dbname='my db'" was shown as postgresql://…/my db, which no tool reads back (found by probing).
        var target = DatabaseTarget.Parse("host=/tmp/sock port=5502 user='etl user' dbname='my db'");

        target.Display.Should().Be("postgresql://etl%20user@%2Ftmp%2Fsock:5502/my%20db");
        var back = new NpgsqlConnectionStringBuilder(DatabaseTarget.Parse(target.Display).ConnectionString);
        (back.Username, back.Database).Should().Be(("etl user", "my db"));
    }

    [Fact]
    public void LibpqsUriQueryKeywordsBecomeTheirNpgsqlSettings()
    {
        var b = BuilderOf("postgresql://etl@[::1]:6543/llm?sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem&connect_timeout=7&application_name=nightly&options=-c%20search_path%3Dllm&dbname=other");

        (b.Host, b.Port, b.Database, b.RootCertificate, b.SslCertificate, b.SslKey, b.Timeout, b.ApplicationName, b.Options)
            .Should().Be(("::1", 6543, "other", "/ca.pem", "/c.pem", "/k.pem", 7, "nightly", "-c search_path=llm"));
    }

    // verify-full and verify-ca were "an unknown parameter 'sslmode'" in a URI and a raw .NET message in keywords.
    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void LibpqsSslModesAndRootCertificateAreReadInBothForms(string sslmode, SslMode expected)
    {
        var uri = BuilderOf($"postgresql://etl@db.example/llm?sslmode={sslmode}&sslrootcert=/etc/ca.pem");
        var keywords = BuilderOf($"host=db.example dbname=llm sslmode={sslmode} sslrootcert=/etc/ca.pem");

        (uri.SslMode, uri.RootCertificate).Should().Be((expected, "/etc/ca.pem"));
        (keywords.SslMode, keywords.RootCertificate).Should().Be((expected, "/etc/ca.pem"));
    }

    [Theory]
    [InlineData("postgresql://etl@db.example/llm?sslmode=verify_full")]
    [InlineData("host=db.example sslmode=verify_full")]
    public void AnUnknownSslModeIsAUsageErrorNamingTheValidOnes(string db)
    {
        UsageErrorOf(db).Should().Contain("'verify_full'").And.Contain("disable, allow, prefer, require, verify-ca, verify-full");
    }

    [Fact]
    public void AQuotedLibpqValueMayHoldASemicolon()
    {
        // Refused with Npgsql's "does not conform to specification starting at index 69"; psql connects.
        var b = BuilderOf("host=127.0.0.1 port=5502 dbname=wh2 user=etl password='p@ss:w/rd?#%&;= x'");

        (b.Host, b.Port, b.Database, b.Username, b.Password).Should().Be(("127.0.0.1", 5502, "wh2", "etl", "p@ss:w/rd?#%&;= x"));
    }

    // Exit 4 with no reason: the whole line was Npgsql's Host, password included.
    [Fact]
    public void AnNpgsqlStringSeparatedByCommasIsAUsageErrorThatSaysSoWithoutThePassword()
    {
        var message = UsageErrorOf("Host=127.0.0.1,Port=5502,Database=wh,Password=hunter2");

        message.Should().Contain("';'").And.Contain("Host").And.NotContain("hunter2");
    }

    [Theory]
    [InlineData("postgresql://etl:hunter2@db.example:port/wh")]
    [InlineData("postgresql://etl:hun/ter2@db.example/wh")]
    [InlineData("host=db.example port=x password=hunter2")]
    public void AMalformedPostgresTargetIsAUsageErrorWithoutThePassword(string db)
    {
        UsageErrorOf(db).Should().NotContain("hunter2").And.NotContain("hun/ter2");
    }

    private static NpgsqlConnectionStringBuilder BuilderOf(string db)
    {
        var target = DatabaseTarget.Parse(db);
        target.Engine.Should().Be(Engine.Postgres);
        return new NpgsqlConnectionStringBuilder(target.ConnectionString);
    }

    private static string UsageErrorOf(string db)
    {
        var parse = () => DatabaseTarget.Parse(db);
        var error = parse.Should().Throw<LlmLogException>().Which;
        error.Code.Should().Be(ExitCode.Usage, error.Message);
        return error.Message;
    }

    private static int CommandTimeoutOf(string db)
    {
        var target = DatabaseTarget.Parse(db);
        target.Engine.Should().Be(Engine.Postgres);
        return new NpgsqlConnectionStringBuilder(target.ConnectionString).CommandTimeout;
    }
}
