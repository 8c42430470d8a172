using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;
using Dapper;
using DuckDB.NET.Data;
using Npgsql;
using Serilog;

namespace LlmLog.Warehouse;

/// <summary>
/// An open connection to the warehouse with its engine, its SQL, and the schema migrated to the
/// current version. Every command goes through here, so both engines are opened, locked and
/// migrated the same way.
/// </summary>
public sealed class WarehouseConnection : IDisposable
{
    // Any fixed number will do: it only has to be the same for every llmlog process.
    internal const long AdvisoryLockKey = 0x6C6C6D6C6F67; // "llmlog"

    // The first half of the schema's own lock (the second is the schema's oid): a warehouse is a schema, and advisory
    // locks are database-wide, so warehouses in two schemas of one database waited for each other.
    internal const int SchemaLockKey = 0x6C6C6D6C; // "llml"

    private readonly bool _sibling;
    private readonly TimeSpan _lockWait;

    private WarehouseConnection(DatabaseTarget target, DbConnection connection, SqlCatalog sql, TimeSpan lockWait, bool sibling = false, bool readOnly = false)
    {
        Target = target;
        Connection = connection;
        Sql = sql;
        _lockWait = lockWait;
        _sibling = sibling;
        ReadOnly = readOnly;
    }

    public DatabaseTarget Target { get; }

    public Engine Engine => Target.Engine;

    public DbConnection Connection { get; }

    public SqlCatalog Sql { get; }

    /// <summary>Opened for reading only (a DuckDB file opened read-only); nothing may be written through it.</summary>
    public bool ReadOnly { get; }

    /// <summary>Opens the database (waiting up to <paramref name="lockWait"/> for another writer) and migrates it.</summary>
    public static WarehouseConnection Open(DatabaseTarget target, TimeSpan lockWait, string? sqlRoot = null, bool readOnly = false)
    {
        var sql = new SqlCatalog(target.Engine, sqlRoot ?? SqlCatalog.DefaultRoot);
        DbConnection connection = target.Engine == Engine.Postgres ? OpenPostgres(target, sql, lockWait) : OpenDuckDb(target, lockWait, readOnly);
        var warehouse = new WarehouseConnection(target, connection, sql, lockWait, readOnly: readOnly);
        try
        {
            if (!readOnly) Migrator.Migrate(warehouse, lockWait);
            return warehouse;
        }
        catch
        {
            warehouse.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For the commands that only read a warehouse: stops with <see cref="ExitCode.NoData"/> when its DuckDB file does
    /// not exist yet, or its PostgreSQL database holds no llmlog tables, so that reading never creates a warehouse (a
    /// mistyped --db got every table and a price table from a summary).
    /// </summary>
    public static void RequireExisting(DatabaseTarget target, string? sqlRoot = null)
    {
        if (target.Engine == Engine.Postgres)
        {
            using var peek = Open(target, TimeSpan.Zero, sqlRoot, readOnly: true);
            if (!Migrator.HasLedger(peek))
            {
                var schema = WarehouseSchema.CreationSchema(peek);
                // Another application's calls there: an ingest would stop on them (exit 12), so "run 'llmlog ingest' into it
                // first" sent the user into that refusal (found by probing summary --schema).
                if (WarehouseSchema.TablesInTheWay(peek, ledger: false) is { Count: > 0 } taken) throw WarehouseSchema.HoldsNoWarehouse(target, schema, taken);
                throw new LlmLogException(ExitCode.NoData, $"{target.Display} holds no llmlog warehouse in schema {schema} yet (no schema_migrations table of llmlog's); run 'llmlog ingest' into it first, or check --db and --schema (or search_path, if the warehouse is in another schema)");
            }
            return;
        }
        RejectFolder(target);
        if (File.Exists(target.DuckDbPath)) return;
        // A warehouse in a folder this user may not search (a service's 0700 data folder) was said not to exist, and to be
        // made by an ingest (found by review).
        if (FolderSearch.HidingFolder(target.DuckDbPath) is { } hiding) throw FolderNotSearchable(target, hiding, null);
        throw new LlmLogException(ExitCode.NoData, $"{target.Display} does not exist yet; run 'llmlog ingest' first");
    }

    /// <summary>
    /// Another connection to the same, already migrated database, for reading beside this one. It takes no lock of
    /// its own: this connection's covers the process. DuckDB shares the open database between connections of one
    /// process (the file lock is taken once); PostgreSQL opens another session.
    /// </summary>
    public WarehouseConnection OpenSibling()
    {
        DbConnection connection;
        if (Engine == Engine.Postgres)
        {
            connection = OpenPostgres(Target, Sql, _lockWait);
        }
        else
        {
            // The same connection string reaches the database this process already has open, not a second copy.
            var duck = new DuckDBConnection(Connection.ConnectionString);
            try
            {
                duck.Open();
                UseGregorianCalendar(duck);
            }
            catch
            {
                duck.Dispose();
                throw;
            }
            connection = duck;
        }
        return new WarehouseConnection(Target, connection, Sql, _lockWait, sibling: true, readOnly: ReadOnly);
    }

    /// <summary>
    /// Makes this process the only llmlog writer of this warehouse. PostgreSQL: a session advisory lock of the schema, waited for up to
    /// <paramref name="wait"/>. DuckDB: the file lock taken when the file was opened already does this.
    /// </summary>
    public void AcquireWriterLock(TimeSpan wait)
    {
        if (Engine != Engine.Postgres) return;
        var clock = Stopwatch.StartNew();
        var announced = false;
        while (!Connection.ExecuteScalar<bool>(Sql.Get("warehouse/try_writer_lock"), new { key = AdvisoryLockKey, schema_key = SchemaLockKey }))
        {
            if (clock.Elapsed >= wait)
            {
                throw new LlmLogException(ExitCode.Locked, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"another llmlog run holds {Target.Display} (an ingest or transform writing it, or a summary, report or export reading it) and did not finish within {wait.TotalSeconds:0} s; try again later or raise --lock-timeout"));
            }
            if (!announced)
            {
                Log.Information("Another llmlog run holds {Database} (writing it, or reading it); waiting up to {Seconds} s for it to finish", Target.Display, (int)wait.TotalSeconds);
                announced = true;
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// PostgreSQL: begins a read-only, repeatable-read transaction on this connection and takes its snapshot before
    /// returning it, so that every query run here until it is disposed reads the database as it is now, whatever
    /// commits after; null on DuckDB, whose file lock keeps writers out while a reader has it open.
    /// </summary>
    public DbTransaction? BeginReadSnapshot()
    {
        if (Engine != Engine.Postgres) return null;
        var tx = Connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        try
        {
            Connection.Execute(Sql.Get("warehouse/begin_read_snapshot"), transaction: tx);
            return tx;
        }
        catch
        {
            tx.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Lets other llmlog writers in before this connection closes: for a reader that has what it needs of the lock
    /// (its sessions' snapshots). DuckDB's lock is the open file's, held until it is closed.
    /// </summary>
    public void ReleaseWriterLock()
    {
        if (Engine == Engine.Postgres && !_sibling) Connection.Execute(Sql.Get("warehouse/release_writer_lock"));
    }

    public void Dispose()
    {
        try
        {
            if (Engine == Engine.Postgres && !_sibling && Connection.State == System.Data.ConnectionState.Open)
            {
                Connection.Execute(Sql.Get("warehouse/release_writer_lock"));
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection holds nothing: the server ends its session, and its locks with it. One still reading (a
            // command cut short by an error) can run nothing else, and went back to the pool with the writer lock, which
            // the next writer of the process waited for (found by review): its session must end. Either way the error that
            // brought the caller here is the one to report.
            if (Connection is NpgsqlConnection npgsql) NpgsqlConnection.ClearPool(npgsql);
        }
        finally
        {
            Connection.Dispose();
        }
    }

    private static NpgsqlConnection OpenPostgres(DatabaseTarget target, SqlCatalog sql, TimeSpan lockWait)
    {
        var connection = new NpgsqlConnection(target.ConnectionString);
        try
        {
            connection.Open();
            RequireUtf8Database(target, connection);
            if (connection.PostgreSqlVersion.Major >= 14)
            {
                connection.Execute(sql.Get("warehouse/session_settings_pg14"), new { interval = "1000" });
            }
            // --lock-timeout bounds a wait for another session's lock on the tables too: a VACUUM FULL, an ALTER TABLE or a
            // transaction left open held ingest, summary and export for ever, without a word (found by probing PostgreSQL
            // operations). A run that does not wait for another llmlog run (0) still waits for them, as before.
            if (lockWait > TimeSpan.Zero)
            {
                connection.Execute(sql.Get("warehouse/bound_lock_waits"),
                    new { timeout = ((long)Math.Ceiling(lockWait.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            return connection;
        }
        catch (LlmLogException)
        {
            connection.Dispose();
            throw;
        }
        catch (NpgsqlException e) when (e.InnerException is AggregateException hosts)
        {
            connection.Dispose();
            throw NoHostWouldDo(target, e, hosts.InnerExceptions);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException || DatabaseFailures.CertificateFileFailure(e) is not null)
        {
            connection.Dispose();
            throw new LlmLogException(DatabaseFailures.CodeFor(e), $"cannot open {target.Display}: {(DatabaseFailures.IsUnknownHost(e) ? UnknownHosts(target) : DatabaseFailures.Explain(e))}", e);
        }
    }

    /// <summary>
    /// Refuses a database whose encoding cannot hold every character a log may carry: in a LATIN1 database a record with a
    /// character LATIN1 lacks (a prompt in Chinese, an emoji) failed its whole file, with "run the same command again once
    /// the database is back", which could never help (found by probing PostgreSQL as DBAs run it). SQL_ASCII stores the
    /// bytes as they are sent, which are UTF-8.
    /// </summary>
    private static void RequireUtf8Database(DatabaseTarget target, NpgsqlConnection connection)
    {
        if (!connection.PostgresParameters.TryGetValue("server_encoding", out var encoding) || encoding is "UTF8" or "SQL_ASCII") return;
        throw new LlmLogException(ExitCode.Usage,
            $"{target.Display}: the database's encoding is {encoding}, which cannot hold every character a log may carry (a prompt's text, a model's name); "
            + "give llmlog a database created with ENCODING 'UTF8' (CREATE DATABASE llm ENCODING 'UTF8' TEMPLATE template0)");
    }

    // Several hosts (host=primary,standby), each tried in turn: Npgsql gathers what each said. A server that answered
    // and refused (a password, a database, a certificate) says more than those that did not answer, and the same
    // refusal is likely on all; a host that answered without failing was not what target_session_attrs asks for.
    private static LlmLogException NoHostWouldDo(DatabaseTarget target, NpgsqlException e, IReadOnlyCollection<Exception> failures)
    {
        if (failures.FirstOrDefault(f => !DatabaseFailures.IsNoAnswer(f)) is { } refusal)
            return new LlmLogException(DatabaseFailures.CodeFor(refusal), $"cannot open {target.Display}: {DatabaseFailures.Explain(refusal)}", e);
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        var hosts = (settings.Host ?? "").Split(',').Length;
        // Every name of the list wrong is a setting to fix; one that exists may be a server that comes back.
        if (failures.Count == hosts && failures.All(DatabaseFailures.IsUnknownHost))
            return new LlmLogException(DatabaseFailures.CodeFor(failures.First()), $"cannot open {target.Display}: {UnknownHosts(target)}", e);
        var silent = string.Join("; ", failures.Select(f => f is NpgsqlException { InnerException: SocketException se } ? $"{f.Message.TrimEnd('.')} ({se.SocketErrorCode})" : f.Message.TrimEnd('.')));
        var others = hosts - failures.Count;
        var rest = others > 0
            ? $"; {(others == 1 ? "the other host answered but is not" : $"the other {others} hosts answered but are not")} a {settings.TargetSessionAttributes} server (target_session_attrs)"
            : "";
        return new LlmLogException(ExitCode.Unreachable, $"cannot open {target.Display}: no host would do: {silent}{rest}; retry later, or fix the hosts in --db", e);
    }

    private static string UnknownHosts(DatabaseTarget target)
    {
        var names = (new NpgsqlConnectionStringBuilder(target.ConnectionString).Host ?? "").Split(',', StringSplitOptions.TrimEntries);
        return names.Length == 1
            ? $"there is no host named {names[0]} (DNS says no such name: HostNotFound); fix the host in --db, LLMLOG_DB or PGHOST"
            : $"there is no host of any of the names {string.Join(", ", names)} (DNS says no such name: HostNotFound); fix the hosts in --db, LLMLOG_DB or PGHOST";
    }

    private static DuckDBConnection OpenDuckDb(DatabaseTarget target, TimeSpan lockWait, bool readOnly)
    {
        var path = target.DuckDbPath;
        var dir = Path.GetDirectoryName(path);
        if (readOnly) RequireExisting(target);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            if (FolderSearch.HidingFolder(dir) is { } hiding) throw FolderNotSearchable(target, hiding, null);
            // A usage error, as a missing output folder is: exit 4 says "rerunning is safe", and a scheduler retried for ever.
            throw new LlmLogException(ExitCode.Usage, $"--db {path}: the folder {dir} does not exist; create it, or name a DuckDB file in a folder that exists");
        }
        if (!readOnly) RejectFolder(target);
        // DuckDB opens an existing .csv, .json(l) or .parquet file that is not a database as an empty in-memory
        // one: an ingest into it would report every record loaded and keep none.
        if (File.Exists(path) && !StartsWithDuckDbHeader(path))
        {
            // A log or an export named as the warehouse is a mistake in the command, not a failing database: exit 4 says
            // "rerunning is safe", and a scheduler retried it for ever (found by probing the docs). Bytes that are none of
            // those may be a damaged warehouse, which stays a database error.
            if (NotAWarehouse(path) is { } kind)
            {
                throw new LlmLogException(ExitCode.Usage,
                    $"--db {path} is {kind}, not a DuckDB warehouse; name the warehouse file with --db (default ./llmlog.duckdb) and give logs to 'llmlog ingest' as its inputs");
            }
            throw new LlmLogException(ExitCode.DatabaseError,
                $"cannot open {target.Display}: the file exists but is not a valid DuckDB database file; check that --db names the warehouse and not a log or CSV file (llmlog only writes into a DuckDB file it created)");
        }
        var settings = new DuckDBConnectionStringBuilder { ConnectionString = target.ConnectionString };
        if (readOnly) settings["ACCESS_MODE"] = "READ_ONLY";
        var cs = settings.ConnectionString;
        var clock = Stopwatch.StartNew();
        var announced = false;
        while (true)
        {
            var connection = new DuckDBConnection(cs);
            try
            {
                if (!readOnly) CreateDuckDbFileIfMissing(path, target.ConnectionString);
                connection.Open();
                UseGregorianCalendar(connection);
                return connection;
            }
            catch (DuckDBException e) when (e.Message.Contains($"'{DatabaseTarget.MemoryLimitSetting}'", StringComparison.Ordinal))
            {
                connection.Dispose();
                throw new LlmLogException(ExitCode.Usage,
                    $"{DatabaseTarget.DuckDbMemoryLimitVariable} must be an amount of memory such as 512MB or 2GB; DuckDB says: {e.Message}", e);
            }
            catch (DuckDBException e) when (IsLockConflict(e))
            {
                connection.Dispose();
                if (clock.Elapsed >= lockWait)
                {
                    throw new LlmLogException(ExitCode.Locked, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{target.Display} is in use by another process (DuckDB allows one writer) and was not released within {lockWait.TotalSeconds:0} s; try again later or raise --lock-timeout"), e);
                }
                if (!announced)
                {
                    Log.Information("{Database} is in use by another process; waiting up to {Seconds} s", target.Display, (int)lockWait.TotalSeconds);
                    announced = true;
                }
                Thread.Sleep(250);
            }
            catch (DuckDBException e) when (!readOnly && !File.Exists(path) && (e.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)))
            {
                // A new warehouse in a folder that takes no new file was told about read access to a file that does not exist,
                // and never named the folder (found by probing as a newcomer, with --db /var/lib/llmlog.duckdb).
                connection.Dispose();
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (FolderSearch.HidingFolder(path) is { } hiding) throw FolderNotSearchable(target, hiding, e);
                var why = e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) ? "is on a read-only file system" : "takes no new file for this user (permission denied)";
                throw new LlmLogException(ExitCode.ReadOnly,
                    $"cannot create {target.Display}: there is no warehouse there yet, and the folder {folder} {why}; name a file in a folder this user may write (--db or LLMLOG_DB), or have the folder made writable", e);
            }
            catch (DuckDBException e) when (e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
            {
                // Permissions cannot help there (found by probing this session's fixes).
                connection.Dispose();
                throw new LlmLogException(ExitCode.ReadOnly,
                    $"cannot open {target.Display} to write: it is on a read-only file system, which no permission can change; ingest and transform need it on a writable one (copy it there, or point --db elsewhere)", e);
            }
            catch (DuckDBException e) when (e.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
            {
                connection.Dispose();
                throw new LlmLogException(ExitCode.ReadOnly,
                    $"cannot open {target.Display}: permission denied; reading it needs read access to the file, and ingest, transform, runs resolve or reopen, or a warehouse that needs rebuilding, write access to the file and its folder: fix their permissions or point --db elsewhere", e);
            }
            catch (DuckDBException e)
            {
                connection.Dispose();
                throw new LlmLogException(ExitCode.DatabaseError, $"cannot open {target.Display}: {DatabaseFailures.Explain(e)}", e);
            }
        }
    }

    // DuckDB's words for another process holding the file. Any message with "lock" in it was taken for one, and
    // "block" has it: a corrupt file ("checksum ... block") waited out --lock-timeout and said "in use", exit 7.
    private static bool IsLockConflict(DuckDBException e) =>
        e.Message.Contains("Could not set lock on file", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase);

    private static void RejectFolder(DatabaseTarget target)
    {
        if (Directory.Exists(target.DuckDbPath))
        {
            throw new LlmLogException(ExitCode.Usage, $"--db {target.DuckDbPath} is a folder; name a DuckDB file, such as {Path.Combine(target.DuckDbPath, DatabaseTarget.DefaultDuckDbPath)}");
        }
    }

    /// <summary>
    /// DuckDB's ICU takes its calendar from the process's locale: under LANG=th_TH (Buddhist) or fa_IR (Persian) a local day
    /// it computed was a date .NET could not read, and summary, report and export with --timezone or --model failed with
    /// exit 2 (found by probing summary). Days are Gregorian whatever the machine's language.
    /// </summary>
    private static void UseGregorianCalendar(DuckDBConnection connection)
    {
        using var set = connection.CreateCommand();
        set.CommandText = "SET Calendar = 'gregorian'";
        set.ExecuteNonQuery();
    }

    // Unreadable: DuckDB's own open says why, as it did before this check.
    private static bool StartsWithDuckDbHeader(string path) => IsDuckDbFile(path) ?? true;

    /// <summary>What the file at <paramref name="path"/> is by its first bytes, when it is a log or an export: null otherwise.</summary>
    internal static string? NotAWarehouse(string path)
    {
        Span<byte> head = stackalloc byte[64];
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var bytes = head[..read];
        foreach (var (magic, kind) in Signatures)
        {
            if (bytes.StartsWith(magic)) return kind;
        }
        // UTF-16 or UTF-32 text, as PowerShell writes it, is read as its ASCII bytes: the NULs between them are no binary.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xfe, 0xff]))
        {
            var ascii = new List<byte>();
            foreach (var b in bytes[2..]) if (b != 0) ascii.Add(b);
            bytes = ascii.ToArray();
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xef, 0xbb, 0xbf])) bytes = bytes[3..];
        var text = bytes.TrimStart(" \t\r\n"u8);
        if (text.Length > 0 && text[0] is (byte)'{' or (byte)'[') return "a JSON log";
        // A DuckDB file starts with a binary checksum; text (a CSV, notes) never is one.
        return bytes.Length > 0 && IsText(bytes) ? "a text file, such as a CSV" : null;

        static bool IsText(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                if (b < 0x20 && b is not (byte)'\t' and not (byte)'\r' and not (byte)'\n') return false;
            }
            return true;
        }
    }

    // The first bytes of files a user may name as --db by mistake.
    private static readonly (byte[] Magic, string Kind)[] Signatures =
    [
        ("PAR1"u8.ToArray(), "a Parquet file"),
        ([0x1f, 0x8b], "a gzip file"),
        ([0x28, 0xb5, 0x2f, 0xfd], "a zstd file"),
        ("BZh"u8.ToArray(), "a bzip2 file"),
        ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], "an xz file"),
        ([0x50, 0x4b, 0x03, 0x04], "a zip file (or a spreadsheet)"),
        ("SQLite format 3\0"u8.ToArray(), "an SQLite database"),
    ];

    /// <summary>
    /// Whether the file begins as every DuckDB database does: a checksum, then the magic bytes DUCK; null when it does
    /// not exist or cannot be read.
    /// </summary>
    internal static bool? IsDuckDbFile(string path)
    {
        Span<byte> header = stackalloc byte[12];
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header[8..].SequenceEqual("DUCK"u8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates an empty DuckDB database at <paramref name="path"/> so that it only ever appears there whole: it is
    /// built under a private name beside it and then linked into place, unless a file is there by then. DuckDB on its
    /// own creates the file before it locks it; two runs starting on a new warehouse at the same moment could then
    /// each find the other's lock and leave an empty file that neither can open.
    /// </summary>
    /// <param name="path">Where the database file belongs.</param>
    /// <param name="connectionString">The target's settings, which the draft is opened with too, so that a bad one
    /// fails before any file appears.</param>
    private static void CreateDuckDbFileIfMissing(string path, string connectionString)
    {
        if (File.Exists(path)) return;
        var full = Path.GetFullPath(path);
        var draft = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.creating");
        try
        {
            using (var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { ConnectionString = connectionString, DataSource = draft }.ConnectionString))
            {
                connection.Open();
            }
            File.Move(draft, full, overwrite: false);
        }
        catch (IOException) when (File.Exists(full))
        {
            // Another run put its file there first; it is as empty and as valid as this one.
        }
        finally
        {
            try
            {
                File.Delete(draft);
                File.Delete(draft + ".wal");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder this user may not search: DuckDB's own failure to create the draft says so, and a failure to
                // delete what was never made replaced it with an internal error (found by review).
            }
        }
    }

    // A service's 0700 data folder, or one above it: whether a warehouse is there cannot be told, so neither "does not exist
    // yet" nor "create it" fits (found by review; a folder above the file's own was said not to exist, found by probing).
    private static LlmLogException FolderNotSearchable(DatabaseTarget target, string hiding, Exception? e) => new(ExitCode.ReadOnly,
        $"cannot open {target.Display}: {FolderSearch.CannotLookInto(hiding)}, so whether a warehouse is there cannot be told; fix the folder's permissions or point --db elsewhere", e);
}
