using System.CommandLine;
using LlmLog.Warehouse;

namespace LlmLog.Cli;

/// <summary>Options that mean the same on every command, defined once (ccusage's habit).</summary>
public static class SharedOptions
{
    // Not recursive: each command that opens a warehouse lists it (and the root, for 'llmlog --db X ingest ...'),
    // so generate, which opens none, neither offers it in --help nor accepts it silently.
    public static readonly Option<string?> Db = new("--db")
    {
        Description = $"Warehouse to use: a postgresql://user:pass@host:port/db URI, an Npgsql keyword string (Host=...;Database=...) or a libpq one (host=... dbname=...) for PostgreSQL; anything else is a DuckDB file path. Default: ${DatabaseTarget.EnvironmentVariable}, else ./{DatabaseTarget.DefaultDuckDbPath}",
        HelpName = "target",
    };

    public static readonly Option<string> LogFormat = new("--log-format")
    {
        Description = "Log style on stderr: 'text' for people, 'json' (one compact JSON object per line) for schedulers",
        Recursive = true,
        DefaultValueFactory = _ => "text",
        HelpName = "text|json",
    };

    public static readonly Option<string> LogLevel = new("--log-level")
    {
        Description = "Least important log messages shown: debug, information, warning, error",
        Recursive = true,
        DefaultValueFactory = _ => "information",
        HelpName = "level",
    };

    public static readonly Option<int> LockTimeout = new("--lock-timeout")
    {
        Description = "Seconds to wait for another llmlog run that is writing to the same database",
        DefaultValueFactory = _ => 600,
        HelpName = "seconds",
        // A negative wait was taken as "do not wait"; it is a typo more likely than a wish.
        CustomParser = r => (int)OptionParsers.Whole("--lock-timeout", 0, int.MaxValue)(r),
    };

    public static readonly Option<DateOnly?> From = new("--from")
    {
        Description = "First day to include (YYYY-MM-DD, inclusive)",
        HelpName = "date",
        CustomParser = OptionParsers.Day("--from"),
    };

    public static readonly Option<DateOnly?> To = new("--to")
    {
        Description = "Last day to include (YYYY-MM-DD, inclusive)",
        HelpName = "date",
        CustomParser = OptionParsers.Day("--to"),
    };

    public static readonly Option<string?> Model = new("--model")
    {
        Description = "Only calls of this model (exact name, or a family such as gpt-4o)",
        HelpName = "name",
    };

    public static readonly Option<string> TimeZone = new("--timezone")
    {
        Description = "IANA time zone for days and hours, e.g. America/New_York (DST-correct); default UTC",
        DefaultValueFactory = _ => "UTC",
        HelpName = "zone",
    };

    static SharedOptions()
    {
        LogFormat.AcceptOnlyFromAmong("text", "json");
        LogLevel.AcceptOnlyFromAmong("debug", "information", "warning", "error");
    }

    /// <summary>
    /// The exit codes <paramref name="command"/>'s <c>--help</c> lists: every one for the root and for the commands that
    /// open a warehouse; for one without <c>--db</c> (generate), only those it can give.
    /// </summary>
    public static string ExitCodesHelpFor(Command command) =>
        command is RootCommand || command.Options.Contains(Db) ? ExitCodesHelp : string.Join(Environment.NewLine,
            "Exit codes:",
            "  0  success",
            "  1  internal error (a bug: please report it)",
            "  2  usage error (bad option or value, such as an output path in a folder that does not exist)",
            "  3  the output cannot be written (a full disk, a closed pipe)",
            Interrupted);

    /// <summary>The lines of <c>--help</c> that list exit codes.</summary>
    public static string ExitCodesHelp => string.Join(Environment.NewLine,
        "Exit codes:",
        "  0  success",
        "  1  internal error (a bug: please report it)",
        "  2  usage error (bad option or value, such as an output path in a folder that does not exist)",
        "  3  input error (missing/unreadable file, not a log file, a bad --prices table, or cut short by a JSON syntax error), or an output that cannot be written",
        "  4  database error (a statement failed or the connection was lost mid-run; rerunning is safe)",
        "  5  reject rate above --max-reject-rate (good records are still loaded)",
        "  6  no data: no warehouse at --db, no call in it, or filters that match nothing (export writes a header-only file, and report a data quality report when records were rejected: both exit 0)",
        "  7  another llmlog run holds the database lock beyond --lock-timeout",
        "  8  no PostgreSQL server answers (refused or timed out; retry later)",
        "  9  the server refused the user name or password",
        " 10  the database does not exist",
        " 11  llmlog may not write where it must: a read-only DuckDB file or folder, a PostgreSQL role without the privilege",
        Interrupted);

    private const string Interrupted = "130  interrupted by Ctrl-C (143: by SIGTERM): nothing unfinished is kept; run the same command again";
}
