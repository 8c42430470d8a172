using System.CommandLine;

namespace LlmLog.Cli;

/// <summary>
/// The exit codes each <c>--help</c> ends with: the root's lists every one; a command's only those it can give, each
/// said for that command (found by probing the CLI: 'summary --help' offered the reject rate's 5, which only ingest gives).
/// </summary>
public static class ExitCodesHelp
{
    private const string Success = "  0  success";
    private const string Internal = "  1  internal error (a bug: please report it)";
    private const string Usage = "  2  usage error (bad option or value, such as an output path in a folder that does not exist, or a PostgreSQL host name that does not exist)";
    private const string Database = "  4  database error (a statement failed, the connection was lost mid-run, or the disk of the DuckDB file or of the PostgreSQL server is full; rerunning is safe, once there is space)";
    private const string Locked = "  7  another llmlog run holds the database lock beyond --lock-timeout";
    private const string Unreachable = "  8  no PostgreSQL server answers (refused or timed out, or DNS could not answer for now; retry later)";
    private const string LoginRefused = "  9  the server refused the login: the user name, the password or its access rules (pg_hba.conf)";
    private const string DatabaseMissing = " 10  the database, or the schema --schema or search_path names, does not exist";
    private const string Occupied = " 12  the schema (or DuckDB file) a new warehouse would go into holds another application's tables of llmlog's names (calls, rejects): choose a schema (or file) of its own";
    private const string Interrupted = "130  interrupted by Ctrl-C (143: by SIGTERM): nothing unfinished is kept; run the same command again";

    private const string Writes = " 11  llmlog may not write where it must: a read-only DuckDB file or folder, a PostgreSQL role without the privilege";

    // summary, report and export write only to bring the warehouse up to date, and read it as it is when it is.
    private const string Reads = " 11  the warehouse needs its schema upgraded or days aggregated, and this user may not write it (a read-only DuckDB file or folder, "
        + "a PostgreSQL role that may only read, a standby), or the role lacks SELECT on a table: run 'llmlog transform' as the warehouse's owner";

    /// <summary>Every exit code llmlog gives, for the root's <c>--help</c>.</summary>
    public static string All => Lines(
        Success, Internal, Usage,
        "  3  input error (missing/unreadable file, not a log file, a bad --prices table, or cut short by a JSON syntax error), or an output that cannot be written",
        Database,
        "  5  reject rate above --max-reject-rate (good records are still loaded)",
        "  6  no data: no warehouse at --db, no call in it, or filters that match nothing (export writes a header-only file, and report a data quality report when records were rejected: both exit 0)",
        Locked, Unreachable, LoginRefused, DatabaseMissing, Writes, Occupied, Interrupted);

    /// <summary>The exit codes <paramref name="command"/>'s <c>--help</c> lists.</summary>
    public static string For(Command command) => command switch
    {
        RootCommand => All,
        { Name: "generate" } => Lines(Success, Internal,
            "  2  usage error (bad option or value, such as an output path in a folder that does not exist)",
            "  3  the output cannot be written (a full disk, a closed pipe)",
            "130  interrupted by Ctrl-C (143: by SIGTERM): an unfinished --out file is removed (what standard output got is not a whole log); run the same command again"),
        { Name: "ingest" } => Lines(Success, Internal, Usage,
            "  3  input error (missing/unreadable file, not a log file, a folder with no log files, or cut short by a JSON syntax error: its good records are loaded), or standard output cannot be written",
            Database,
            "  5  reject rate above --max-reject-rate (good records are still loaded)",
            Locked, Unreachable, LoginRefused, DatabaseMissing, Writes, Occupied, Interrupted),
        { Name: "transform" } => Lines(Success, Internal, Usage,
            "  3  a --prices table that cannot be read or has a bad line (nothing is written), or standard output cannot be written",
            Database,
            "  6  no llmlog warehouse at --db (only --prices, without --dry-run, starts one)",
            Locked, Unreachable, LoginRefused, DatabaseMissing, Writes, Occupied, Interrupted),
        { Name: "summary" } => Lines(Success, Internal, Usage,
            "  3  standard output cannot be written (a full disk, a closed pipe)",
            Database,
            "  6  no data: no warehouse at --db, no call in it, or filters that match nothing",
            Locked, Unreachable, LoginRefused, DatabaseMissing, Reads, Interrupted),
        { Name: "report" } => Lines(Success, Internal, Usage,
            "  3  the report cannot be written (no permission, a full disk, a closed pipe)",
            Database,
            "  6  no data: no warehouse at --db, no call in it, or filters that match nothing (a data quality report, exit 0, when the selection holds rejected records)",
            Locked, Unreachable, LoginRefused, DatabaseMissing, Reads, Interrupted),
        { Name: "export" } => Lines(Success, Internal, Usage,
            "  3  an output file cannot be written (no permission, a full disk, a closed pipe)",
            Database,
            "  6  no llmlog warehouse at --db (a selection with no rows writes a header-only file and exits 0)",
            "  7  another llmlog run holds the database lock, or another export is writing the same --partition-by tree, beyond --lock-timeout",
            Unreachable, LoginRefused, DatabaseMissing, Reads, Interrupted),
        // runs opens only a warehouse that exists, so never creates one in an occupied schema (12).
        { Name: "runs" } => Lines("  0  success (with --exit-code: no run is open)", Internal,
            "  2  usage error (bad option or value, such as a --limit that is not a whole number, or a PostgreSQL host name that does not exist)",
            "  3  with --exit-code: a run is open (the runs are listed first); or standard output cannot be written (a full disk, a closed pipe)",
            Database,
            "  6  no llmlog warehouse at --db",
            Locked, Unreachable, LoginRefused, DatabaseMissing,
            // Days awaiting aggregation do not stop runs, which reads only the tables an ingest writes whole.
            " 11  the warehouse needs its schema upgraded and this user may not write it (a read-only DuckDB file or folder, a PostgreSQL role that may only read, a standby), "
                + "or the role lacks SELECT on a table: run 'llmlog transform' as the warehouse's owner",
            "130  interrupted by Ctrl-C (143: by SIGTERM): nothing is changed; run the same command again"),
        { Name: "resolve" or "reopen", Parents: var parents } when parents.Any(p => p is Command { Name: "runs" }) => RunsChange(command.Name == "resolve" ? "resolved" : "reopened"),
        // A command added without its own list offers every code rather than too few.
        _ => All,
    };

    private static string RunsChange(string done) => Lines(Success, Internal,
        $"  2  usage error: a run id that is not a whole number, that no run has, or of a run that did not fail and was not cut short (nothing is {done})"
            + (done == "resolved" ? "; a --note that is empty, too long or not one line" : "") + "; or a bad option, or a PostgreSQL host name that does not exist",
        $"  3  standard output cannot be written (a full disk, a closed pipe): the runs are {done} all the same",
        Database,
        "  6  no llmlog warehouse at --db",
        Locked, Unreachable, LoginRefused, DatabaseMissing, Writes,
        $"130  interrupted by Ctrl-C (143: by SIGTERM): the runs given are {done} together or not at all; run the same command again");

    private static string Lines(params string[] lines) => string.Join(Environment.NewLine, ["Exit codes:", .. lines]);
}
