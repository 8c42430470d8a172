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
    // Migrations whose SQL needs a step first, or is followed by one, that only C# can do, run in the same transaction.
    private static readonly Dictionary<int, Action<WarehouseConnection, System.Data.IDbTransaction>> StepsBefore = new()
    {
        [20] = OlderRejectCallIds.Fill,
        [24] = RejectContentIds.Fill,
    };

    private static readonly Dictionary<int, Action<WarehouseConnection, System.Data.IDbTransaction>> StepsAfter = new()
    {
        [21] = RejectCreatedInstants.Fill,
    };

    public static void Migrate(WarehouseConnection warehouse, TimeSpan lockWait)
    {
        // A current warehouse is left untouched, so a user who may only read can open it.
        if (IsCurrent(warehouse)) return;
        var fresh = !HasLedger(warehouse);
        try
        {
            Apply(warehouse, lockWait);
        }
        catch (Exception e) when (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ReadOnlySqlTransaction })
        {
            // No right granted would help: a new warehouse in a read-only database was told that PostgreSQL 15 lets only the
            // owner create in public, and to create a schema (found by probing scheduled runs).
            throw new LlmLogException(ExitCode.ReadOnly,
                $"{warehouse.Target.Display}: {(fresh ? "creating llmlog's warehouse" : "upgrading the warehouse's schema to this llmlog's")} needs to write, and the session is read-only "
                + $"({DatabaseFailures.Explain(e)}): the server is a standby, or default_transaction_read_only is on for this database or role; "
                + "run llmlog against the primary, or with PGOPTIONS='-c default_transaction_read_only=off' where a setting made it read-only", e);
        }
        catch (Exception e) when (DatabaseFailures.IsNoWriteAccess(e) && fresh)
        {
            // Not an upgrade: PostgreSQL 15 lets only the database's owner create in public, so a new role's first ingest
            // ends here, and was told its warehouse had "an older schema".
            throw new LlmLogException(ExitCode.ReadOnly, warehouse.Target.Schema is { } schema
                ? $"{warehouse.Target.Display}: creating llmlog's warehouse needs the right to create tables in schema {WarehouseSchema.Quote(schema)} ({DatabaseFailures.Explain(e)}); " +
                  $"run llmlog as the schema's owner, or grant it (GRANT USAGE, CREATE ON SCHEMA {WarehouseSchema.AsSql(warehouse, schema)} TO <the role llmlog runs as>)"
                : warehouse.Engine == Engine.Postgres
                ? $"{warehouse.Target.Display}: creating llmlog's warehouse needs the right to create tables in its schema ({DatabaseFailures.Explain(e)}); " +
                  "since PostgreSQL 15 only the database's owner may create in schema public: create a schema for it (CREATE SCHEMA llm AUTHORIZATION <the role llmlog runs as>) " +
                  "and choose it with --schema llm (or options=-c search_path=llm in --db, or PGOPTIONS)"
                : $"{warehouse.Target.Display}: creating llmlog's warehouse needs write access ({DatabaseFailures.Explain(e)})", e);
        }
        catch (Exception e) when (DatabaseFailures.IsNoWriteAccess(e))
        {
            throw new LlmLogException(ExitCode.ReadOnly,
                $"{warehouse.Target.Display} has an older schema than this llmlog, and upgrading it needs write access ({DatabaseFailures.Explain(e)}); " +
                "run any llmlog command once as the warehouse's owner, such as 'llmlog transform'", e);
        }
    }

    /// <summary>Whether every migration has been applied; reads only, so it works for a user who may not write.</summary>
    public static bool IsCurrent(WarehouseConnection warehouse)
    {
        var db = warehouse.Connection;
        if (!HasLedger(warehouse)) return false;
        var applied = db.Query<int>(warehouse.Sql.Get("warehouse/applied_migrations")).ToHashSet();
        var known = warehouse.Sql.List("migrations").Select(VersionOf).ToHashSet();
        RefuseNewer(warehouse, applied, known);
        return known.All(applied.Contains);
    }

    // A warehouse a newer llmlog migrated has tables this one does not know how to fill: an older ingest failed
    // halfway with an internal error, and an older reprice priced with rules since changed (found by probing an
    // upgrade). Nothing is read or written.
    private static void RefuseNewer(WarehouseConnection warehouse, HashSet<int> applied, HashSet<int> known)
    {
        var newer = applied.Where(v => !known.Contains(v)).Order().ToList();
        if (newer.Count == 0) return;
        throw new LlmLogException(ExitCode.DatabaseError, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{warehouse.Target.Display} was upgraded by a newer llmlog (schema migration {string.Join(", ", newer.Select(v => $"V{v:000}"))}, which this llmlog {ToolInfo.Version} does not know, knowing up to V{known.Max():000}); use that newer llmlog with it"));
    }

    /// <summary>Whether llmlog has ever migrated this database (its ledger of migrations exists); reads only.</summary>
    public static bool HasLedger(WarehouseConnection warehouse) =>
        warehouse.Connection.ExecuteScalar<long>(warehouse.Sql.Get("warehouse/schema_migrations_exists")) == 4;

    private static void Apply(WarehouseConnection warehouse, TimeSpan lockWait)
    {
        var db = warehouse.Connection;
        var schema = WarehouseSchema.CreationSchema(warehouse);
        // Two first runs at once must not both migrate, nor both create the ledger: CREATE TABLE IF NOT EXISTS is no
        // guard on PostgreSQL when two sessions run it at once, and the loser failed with 'type "schema_migrations"
        // already exists' or a unique violation (ManyFirstRunsAtOnceOnAnEmptyPostgresDatabaseAllMigrateIt). The
        // writer lock is waited for as long as --lock-timeout says, like any other (a fixed 5 minutes ignored it on
        // the first run after an upgrade).
        warehouse.AcquireWriterLock(lockWait);
        // A warehouse with no migration applied yet is new: the tables its migrations create must not be there already.
        var ledger = HasLedger(warehouse);
        var applied = ledger ? db.Query<int>(warehouse.Sql.Get("warehouse/applied_migrations")).ToHashSet() : new HashSet<int>();
        if (applied.Count == 0) WarehouseSchema.RefuseTablesInTheWay(warehouse, schema, ledger);
        db.Execute(warehouse.Sql.Get("warehouse/create_schema_migrations"));
        var migrations = warehouse.Sql.List("migrations");
        var pending = migrations.Select(VersionOf).Where(v => !applied.Contains(v)).ToList();
        // An upgrade can take minutes on a large warehouse (V020 and V021 read every older reject), and the command's own work
        // waits for it: an operator watching the first run after an upgrade is told why. A new warehouse says nothing.
        var upgrading = applied.Count > 0 && pending.Count > 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (upgrading)
        {
            Log.Information("Upgrading the schema of {Warehouse} for this llmlog: migrations {Migrations} (each is kept once done; an interrupted upgrade goes on with the next run)",
                warehouse.Target.Display, string.Join(", ", pending.Select(v => "V" + v.ToString("000", System.Globalization.CultureInfo.InvariantCulture))));
        }
        foreach (var name in migrations)
        {
            var version = VersionOf(name);
            if (applied.Contains(version)) continue;
            var sql = warehouse.Sql.Get(name);
            using var tx = db.BeginTransaction();
            if (StepsBefore.TryGetValue(version, out var step)) step(warehouse, tx);
            db.Execute(sql, transaction: tx);
            if (StepsAfter.TryGetValue(version, out var after)) after(warehouse, tx);
            db.Execute(warehouse.Sql.Get("warehouse/record_migration"),
                new { version, name = Path.GetFileName(name), checksum = Checksum(sql), applied_at = Clock.UtcNowUnspecified() },
                tx);
            tx.Commit();
            Log.Debug("Applied migration {Migration}", name);
        }
        if (upgrading) Log.Information("Upgraded the schema of {Warehouse} in {Seconds:0.0} s", warehouse.Target.Display, clock.Elapsed.TotalSeconds);
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
