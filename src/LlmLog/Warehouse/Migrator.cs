using System.Security.Cryptography;
using System.Text;
using Dapper;
using Serilog;

namespace LlmLog.Warehouse;

/// <summary>
/// Brings the schema to the current version from the numbered files in <c>sql/migrations</c>
/// (<c>V001__warehouse.sql</c>, ...), each applied once, in a transaction, and recorded.
/// </summary>
public static class Migrator
{
    public static void Migrate(WarehouseConnection warehouse)
    {
        var db = warehouse.Connection;
        try
        {
            db.Execute(warehouse.Sql.Get("warehouse/create_schema_migrations"));
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // Two first runs on an empty PostgreSQL database both got past IF NOT EXISTS, and the other one's table
            // won (pg_type_typname_nsp_index; seen in ConcurrentIngestTests). It exists now, which is all this needs.
            db.Execute(warehouse.Sql.Get("warehouse/create_schema_migrations"));
        }
        var migrations = warehouse.Sql.List("migrations");
        var applied = db.Query<int>("SELECT version FROM schema_migrations").ToHashSet();
        if (migrations.All(m => applied.Contains(VersionOf(m)))) return;

        // Two first runs at once must not both migrate; the writer lock also serialises this.
        warehouse.AcquireWriterLock(TimeSpan.FromMinutes(5));
        applied = db.Query<int>("SELECT version FROM schema_migrations").ToHashSet();
        foreach (var name in migrations)
        {
            var version = VersionOf(name);
            if (applied.Contains(version)) continue;
            var sql = warehouse.Sql.Get(name);
            using var tx = db.BeginTransaction();
            db.Execute(sql, transaction: tx);
            db.Execute(warehouse.Sql.Get("warehouse/record_migration"),
                new { version, name = Path.GetFileName(name), checksum = Checksum(sql), applied_at = Clock.UtcNowUnspecified() },
                tx);
            tx.Commit();
            Log.Debug("Applied migration {Migration}", name);
        }
    }

    private static int VersionOf(string name)
    {
        var file = Path.GetFileName(name);
        var end = file.IndexOf("__", StringComparison.Ordinal);
        if (file.Length < 2 || file[0] != 'V' || end < 2 || !int.TryParse(file.AsSpan(1, end - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v))
        {
            throw new InvalidOperationException($"migration file {file}.sql must be named V<number>__<name>.sql");
        }
        return v;
    }

    private static string Checksum(string sql) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)))[..16];
}
