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

    private static int CommandTimeoutOf(string db)
    {
        var target = DatabaseTarget.Parse(db);
        target.Engine.Should().Be(Engine.Postgres);
        return new NpgsqlConnectionStringBuilder(target.ConnectionString).CommandTimeout;
    }
}
