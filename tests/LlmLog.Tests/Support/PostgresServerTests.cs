using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Xunit.Abstractions;

namespace LlmLog.Tests.Support;

/// <summary>Proves the PostgreSQL test server gives tests what they rely on.</summary>
public sealed class PostgresServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CreatedDatabasesAreIsolated()
    {
        var first = await PostgresServer.Shared.CreateDatabaseAsync();
        var second = await PostgresServer.Shared.CreateDatabaseAsync();

        await ExecuteAsync(first, "CREATE TABLE calls (id int); INSERT INTO calls VALUES (1)");

        first.Should().NotBe(second);
        (await ScalarAsync(first, "SELECT count(*) FROM calls")).Should().Be(1L);
        (await ScalarAsync(second, "SELECT to_regclass('calls') IS NULL")).Should().Be(true);
    }

    [Fact]
    public async Task ServerAnswersAfterRestartWithItsDataKept()
    {
        var stopwatch = Stopwatch.StartNew();
        using var server = PostgresServer.StartPrivate();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"initdb + start took {stopwatch.ElapsedMilliseconds} ms"));
        var database = await server.CreateDatabaseAsync();
        await ExecuteAsync(database, "CREATE TABLE calls (id int); INSERT INTO calls VALUES (1)");

        server.Stop();
        var whileStopped = () => ScalarAsync(database, "SELECT 1");
        await whileStopped.Should().ThrowAsync<NpgsqlException>();

        stopwatch.Restart();
        server.Start();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"restart took {stopwatch.ElapsedMilliseconds} ms"));
        (await ScalarAsync(database, "SELECT count(*) FROM calls")).Should().Be(1L);
    }

    [Fact]
    public async Task LocalClusterRunsWithFastSettingsOnLoopbackOnly()
    {
        using var server = PostgresServer.StartPrivate();

        (await ScalarAsync(server.AdminConnectionString, "SHOW listen_addresses")).Should().Be("127.0.0.1");
        (await ScalarAsync(server.AdminConnectionString, "SHOW fsync")).Should().Be("off");
        (await ScalarAsync(server.AdminConnectionString, "SHOW synchronous_commit")).Should().Be("off");
        (await ScalarAsync(server.AdminConnectionString, "SHOW full_page_writes")).Should().Be("off");
    }

    [Fact]
    public void SharedServerRefusesToBeStoppedBecauseOtherTestsUseIt()
    {
        var stop = () => PostgresServer.Shared.Stop();

        stop.Should().Throw<InvalidOperationException>().WithMessage("*StartPrivate*");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
