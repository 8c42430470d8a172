using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using DuckDB.NET.Data;
using Npgsql;

namespace LlmLog.Warehouse;

/// <summary>
/// What a database failure means for the user and for a scheduler: its exit code (<see cref="CodeFor"/>), one phrase
/// that says what happened and what to do, with no password in it (<see cref="Explain"/>), and the kinds of failure the
/// commands treat apart (a full disk, DuckDB's memory limit, no right to write). Both engines' failures are read here.
/// </summary>
internal static class DatabaseFailures
{
    // No server answered (refused, unreachable, timed out), where one that answered and refused the login says why.
    internal static bool IsNoAnswer(Exception e) =>
        e is NpgsqlException { InnerException: SocketException or TimeoutException } and not PostgresException or TimeoutException or SocketException;

    // DNS answered that no host has this name (NXDOMAIN): a setting that is wrong, not a moment, as a wrong sslmode is.
    // A resolver that could not answer for now (SocketError.TryAgain) is an outage, and stays exit 8.
    internal static bool IsUnknownHost(Exception e) =>
        (e is NpgsqlException { InnerException: SocketException inner } ? inner : e) is SocketException { SocketErrorCode: SocketError.HostNotFound };

    // Schedulers act on the code: retry when the server is down, alert a person when the credentials or name are wrong.
    internal static ExitCode CodeFor(Exception e) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => ExitCode.LoginRefused,
        NpgsqlException ne when IsMissingPassword(ne) => ExitCode.LoginRefused,
        // The setting, not the moment, is wrong: a retry fails the same way.
        NpgsqlException ne when IsSslRefused(ne) => ExitCode.Usage,
        _ when CertificateFileFailure(e) is not null => ExitCode.Usage,
        NpgsqlException { InnerException: AuthenticationException } => ExitCode.Usage,
        PostgresException { SqlState: "3D000" } => ExitCode.DatabaseMissing,
        PostgresException { SqlState: "57P03" } => ExitCode.Unreachable,
        _ when IsUnknownHost(e) => ExitCode.Usage,
        NpgsqlException { InnerException: SocketException or TimeoutException } or TimeoutException or SocketException => ExitCode.Unreachable,
        _ => ExitCode.DatabaseError,
    };

    /// <summary>What a database failure means for the user, in one phrase with no password in it.</summary>
    internal static string Explain(Exception e) => e switch
    {
        // 57P01 is also what a session ended by pg_terminate_backend gets (found by re-probing).
        PostgresException { SqlState: "57P01" } => "the PostgreSQL server ended the session (it shut down, or an administrator terminated the session)",
        PostgresException { SqlState: "57P02" or "57P03" } => "the PostgreSQL server shut down or is starting up",
        PostgresException { SqlState: "28P01" } => "the server refused the user name or password; check --db or LLMLOG_DB",
        // Also the server's access rules, which say what they refused: "no pg_hba.conf entry for host ..., no encryption".
        PostgresException { SqlState: "28000" } pe => $"the server refused the login: {Secrets.Mask(pe.MessageText)}; check the user and sslmode in --db or LLMLOG_DB, or ask the server's administrator to allow it (pg_hba.conf)",
        NpgsqlException ne when IsMissingPassword(ne) => "the server wants a password and none was given; add it to --db or LLMLOG_DB (postgresql://user:password@host/db), or put it in ~/.pgpass",
        NpgsqlException ne when IsSslRefused(ne) => "the server does not accept SSL connections, and the target requires one (sslmode=require, verify-ca or verify-full, in --db, LLMLOG_DB or PGSSLMODE); use sslmode=prefer or disable, or enable SSL on the server",
        _ when CertificateFileFailure(e) is { } file => file switch
        {
            FileNotFoundException missing => $"the certificate or key file {missing.FileName} does not exist; {CertificateSettings}",
            DirectoryNotFoundException missing => $"a certificate or key file's folder does not exist ({Secrets.Mask(missing.Message.TrimEnd('.'))}); {CertificateSettings}",
            CryptographicException unreadable => $"a certificate or key file is not one ({unreadable.Message.TrimEnd('.')}): sslrootcert and sslcert name PEM certificates, sslkey a PEM private key; {CertificateSettings}",
            _ => $"a certificate or key file cannot be read ({Secrets.Mask(file.Message)}); {CertificateSettings}",
        },
        NpgsqlException { InnerException: AuthenticationException } =>
            "the server's SSL certificate was not accepted: with sslmode=verify-ca it must be signed by the authority whose certificate " +
            "sslrootcert names (in --db or LLMLOG_DB, or PGSSLROOTCERT), and with verify-full it must also name the host of the target; " +
            "name the right root certificate, or use sslmode=require to encrypt without checking the server",
        PostgresException { SqlState: "3D000" } => "the database does not exist; create it (createdb) or fix the name in --db",
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } pe =>
            $"the PostgreSQL server ran out of disk space {WhereFull(pe.MessageText)} ({Secrets.Mask(pe.MessageText)}); free space on the server (or ask its administrator to)",
        PostgresException pe when IsTempFileLimit(pe) =>
            $"a query needed more temporary disk space than the PostgreSQL server's temp_file_limit allows ({Secrets.Mask(pe.MessageText)}); " +
            "ask its administrator to raise temp_file_limit (for llmlog's role alone: ALTER ROLE ... SET temp_file_limit), or work_mem, so that less spills to disk",
        PostgresException pe when IsStatementTimeout(pe) =>
            $"a statement ran longer than the PostgreSQL server's statement_timeout ({Secrets.Mask(pe.MessageText)}), which a role or database "
            + "setting gives llmlog's sessions; a large load or refresh needs longer: raise it for llmlog's role (ALTER ROLE ... SET statement_timeout = 0), "
            + "or run with PGOPTIONS='-c statement_timeout=0'",
        PostgresException pe when IsLockTimeout(pe) =>
            $"a statement waited longer than --lock-timeout allows ({Secrets.Mask(pe.MessageText)}: PostgreSQL's lock_timeout, which llmlog sets from "
            + "--lock-timeout unless the role, the database or PGOPTIONS sets one) for a lock another session holds on the warehouse's tables (a VACUUM FULL, "
            + "an ALTER TABLE, a LOCK TABLE or a transaction left open; pg_stat_activity and pg_locks show it); let it finish, or raise the limit",
        PostgresException pe => Secrets.Mask(pe.MessageText),
        NpgsqlException { InnerException: SocketException se } => $"no PostgreSQL server answers there ({se.SocketErrorCode}); is it running and is the host/port right?",
        NpgsqlException { InnerException: TimeoutException } or TimeoutException => "the connection timed out; is the server reachable?",
        NpgsqlException { InnerException: IOException or EndOfStreamException or SocketException } => "the connection to the PostgreSQL server was lost",
        DuckDBException de when IsOutOfMemory(de) =>
            $"DuckDB needed more memory than its limit of {DatabaseTarget.DuckDbMemoryLimit} ({Secrets.Mask(FirstLine(de.Message))}); " +
            $"set {DatabaseTarget.DuckDbMemoryLimitVariable} higher, such as 1GB",
        DuckDBException de when IsDiskFull(de) =>
            $"the disk that holds the warehouse is full, or its file reached the file size limit ({Secrets.Mask(OriginalError(de.Message))}); free space there",
        DuckDBException de => Secrets.Mask(de.Message),
        _ => Secrets.Mask(e.Message),
    };

    /// <summary>
    /// Whether DuckDB could not write its file, write-ahead log or spill file for want of space (or past a file size
    /// limit), or the PostgreSQL server its data directory, a tablespace or its temporary space (53100, disk_full):
    /// running again unchanged fails the same way. Once DuckDB failed so, each later statement says the database
    /// "has been invalidated" and quotes the first failure, and a user read that as a broken warehouse (found by probing
    /// a full disk: the warehouse was whole, and the same command finished the work once space was freed). PostgreSQL's
    /// own "could not extend file" read as a server that was down ("once the database is back").
    /// </summary>
    internal static bool IsDiskFull(Exception e) => e switch
    {
        PostgresException pe => pe.SqlState == PostgresErrorCodes.DiskFull,
        DuckDBException de => de.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            || de.Message.Contains("File too large", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>
    /// Whether the session ended under the command: the server shut down, restarted or terminated it (57P01–57P03), or
    /// the connection broke. The same command, run again once the server is back, does the work.
    /// </summary>
    internal static bool IsConnectionLost(Exception e) => e switch
    {
        PostgresException pe => pe.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException { InnerException: IOException or EndOfStreamException or SocketException } => true,
        _ => false,
    };

    // 57014 is any cancelled statement; this one was cancelled by the server's statement_timeout, not by a person or a signal.
    // It said only "canceling statement due to statement timeout" and "run the same command again once the database is back",
    // which fails the same way every time (found by probing scheduled runs).
    internal static bool IsStatementTimeout(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } pe && pe.MessageText.Contains("statement timeout", StringComparison.Ordinal);

    // 55P03: lock_timeout (llmlog's --lock-timeout, or a role's, a database's or PGOPTIONS') ended a wait for another
    // session's lock. It said "canceling statement due to lock timeout" and "run the same command again once the database
    // is back", of a database that was never down (found by probing PostgreSQL operations).
    internal static bool IsLockTimeout(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable };

    // 53400 is any configured limit; this one is a query's temporary files, which a run's larger days or report can outgrow.
    internal static bool IsTempFileLimit(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.ConfigurationLimitExceeded } pe && pe.MessageText.Contains("temp_file_limit", StringComparison.Ordinal);

    // The server names the file it could not write, relative to its data directory: a temporary table's (t<backend>_<oid>)
    // or a sort's spill file (pgsql_tmp) is temporary space, pg_tblspc/<oid>/ a tablespace's disk, base/ the data directory's.
    private static string WhereFull(string message)
    {
        var quoted = message.Split('"') is [_, var path, ..] ? path : "";
        if (quoted.Contains("pgsql_tmp", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(quoted, @"/t\d+_\d+"))
            return "for temporary data (temp_tablespaces names where it goes; when empty, the database's own tablespace)";
        if (quoted.StartsWith("pg_tblspc/", StringComparison.Ordinal) && quoted.Split('/') is [_, var oid, ..])
            return $"in a tablespace (oid {oid} in pg_tablespace)";
        return quoted.StartsWith("base/", StringComparison.Ordinal) ? "in its data directory" : "in its data directory or a tablespace";
    }

    // DuckDB's "database has been invalidated ... Original error: "X"" says X, the failure that matters, last.
    private static string OriginalError(string message)
    {
        const string Original = "Original error: ";
        var at = message.IndexOf(Original, StringComparison.Ordinal);
        return at < 0 ? FirstLine(message) : message[(at + Original.Length)..].Trim().Trim('"');
    }

    /// <summary>
    /// Whether DuckDB stopped because its memory limit was reached: running again unchanged will not help. A commit
    /// that cannot pin its blocks (a file of large records, ~100 KB each) fails as a TransactionContext error that
    /// names the buffer manager's "failed to pin block", not as an out-of-memory error, and means the same.
    /// </summary>
    internal static bool IsOutOfMemory(Exception e) => e is DuckDBException de
        && (de.ErrorType == DuckDB.NET.Native.DuckDBErrorType.OutOfMemory
            || de.Message.Contains("failed to pin block", StringComparison.OrdinalIgnoreCase)
            || de.Message.Contains("could not allocate block", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether a statement failed because this user may not write here: a PostgreSQL role without the privilege
    /// (42501), a standby or read-only transaction (25006), or a DuckDB file opened read-only.
    /// </summary>
    internal static bool IsNoWriteAccess(Exception e) => e switch
    {
        PostgresException pe => pe.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ReadOnlySqlTransaction,
        // Also a file that opened for writing whose folder is not writable: the commit cannot create the .wal beside it.
        DuckDBException de => de.Message.Contains("read-only mode", StringComparison.OrdinalIgnoreCase)
            || de.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
            || de.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private const string CertificateSettings = "check sslrootcert, sslcert and sslkey in --db or LLMLOG_DB, and PGSSLROOTCERT, PGSSLCERT and PGSSLKEY";

    // A certificate or key file of the target that cannot be read: Npgsql reads the client's own (sslcert, sslkey) before it
    // connects and lets the failure through as it is, and the root certificate (sslrootcert) during the handshake, wrapped.
    internal static Exception? CertificateFileFailure(Exception e) =>
        (e is NpgsqlException { InnerException: { } inner } ? inner : e) is var cause
            && cause is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or CryptographicException
            ? cause
            : null;

    // Npgsql says so before the server is asked (no SQLSTATE): "No password has been provided but the backend requires one".
    private static bool IsMissingPassword(NpgsqlException e) =>
        e is not PostgresException && e.Message.StartsWith("No password has been provided", StringComparison.Ordinal);

    // Npgsql says so before any login (no SQLSTATE): "SSL connection requested. No SSL enabled connection from this host is configured."
    private static bool IsSslRefused(NpgsqlException e) =>
        e is not PostgresException && e.Message.StartsWith("SSL connection requested", StringComparison.Ordinal);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();
}
