using Dapper;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Warehouse;

/// <summary>Closing a warehouse connection on the way out of an error: the error stays the one reported, the lock is freed.</summary>
public sealed class ClosingTests
{
    // Found by review: a PostgreSQL connection closed while still reading (a command cut short by an error) could not release
    // the writer lock, and went back to Npgsql's pool holding it: the next writer of the same process waited for it.
    [Fact]
    public async Task APostgresConnectionClosedWhileStillReadingDoesNotKeepTheWriterLock()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.Postgres);
        var db = w.Open();
        db.Connection.Execute("SELECT pg_advisory_lock(@key)", new { key = WarehouseConnection.AdvisoryLockKey });
        var reader = db.Connection.ExecuteReader("SELECT generate_series(1, 1000000)");
        reader.Read().Should().BeTrue();

        db.Invoking(d => d.Dispose()).Should().NotThrow();

        using var other = new NpgsqlConnection(w.DbArgument);
        other.Open();
        // The server ends a closed session a moment after its client has gone.
        var freed = false;
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); !freed && wait.Elapsed < TimeSpan.FromSeconds(10); Thread.Sleep(50))
        {
            freed = other.ExecuteScalar<bool>("SELECT pg_try_advisory_lock(@key)", new { key = WarehouseConnection.AdvisoryLockKey });
        }
        freed.Should().BeTrue("the session that held the writer lock has ended, not gone back to the pool with it");
    }
}
