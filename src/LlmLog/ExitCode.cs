namespace LlmLog;

/// <summary>Process exit codes; documented in <c>--help</c> and README, and stable for schedulers.</summary>
public enum ExitCode
{
    /// <summary>Everything asked was done.</summary>
    Success = 0,

    /// <summary>A bug in llmlog: the message and log say what happened; please report it.</summary>
    InternalError = 1,

    /// <summary>
    /// The command line was wrong (unknown option, bad value), or a setting it names: such as a PostgreSQL host name
    /// that does not exist (DNS says so), which a retry cannot mend.
    /// </summary>
    Usage = 2,

    /// <summary>An input could not be read: missing, unreadable, not a log file, or cut off by a syntax error.</summary>
    InputError = 3,

    /// <summary>The database failed while in use (a statement failed, the connection was lost mid-run), or could not be opened for another reason.</summary>
    DatabaseError = 4,

    /// <summary>More records were rejected than <c>--max-reject-rate</c> allows (the good ones are loaded).</summary>
    RejectRateExceeded = 5,

    /// <summary>There is no data for what was asked (empty database or a filter that matches nothing).</summary>
    NoData = 6,

    /// <summary>Another llmlog run holds the database and did not let go within <c>--lock-timeout</c>.</summary>
    Locked = 7,

    /// <summary>
    /// No PostgreSQL server answers at the address (refused or timed out, or DNS could not answer for now); a later
    /// retry may succeed. A host name DNS says does not exist is <see cref="Usage"/>.
    /// </summary>
    Unreachable = 8,

    /// <summary>The server refused the login (the user name, the password or its pg_hba.conf rules); retrying will not help until that is fixed.</summary>
    LoginRefused = 9,

    /// <summary>The server answers but the named database does not exist.</summary>
    DatabaseMissing = 10,

    /// <summary>
    /// llmlog may not write where it must: the DuckDB file or its folder is read-only, or the PostgreSQL role lacks
    /// a privilege (or the server is a standby). Reading commands only need it when the warehouse needs upgrading or
    /// rebuilding.
    /// </summary>
    ReadOnly = 11,

    /// <summary>
    /// The schema a new warehouse would be created in already holds another application's tables of the names llmlog
    /// uses (<c>calls</c>, <c>rejects</c>, ...); nothing is written: choose a schema of its own.
    /// </summary>
    OccupiedSchema = 12,
}

/// <summary>A failure the user can act on: it carries its exit code and a message without a stack trace.</summary>
public sealed class LlmLogException(ExitCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    public ExitCode Code { get; } = code;
}
