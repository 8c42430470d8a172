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

    [Fact]
    public void ALibpqParameterLlmlogDoesNotReadIsNamed()
    {
        var parse = () => DatabaseTarget.Parse("host=db.example dbname=llm target_session_attrs=any");

        parse.Should().Throw<ArgumentException>().WithMessage("*'target_session_attrs'*");
    }

    private static int CommandTimeoutOf(string db)
    {
        var target = DatabaseTarget.Parse(db);
        target.Engine.Should().Be(Engine.Postgres);
        return new NpgsqlConnectionStringBuilder(target.ConnectionString).CommandTimeout;
    }
}
