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

    // Not recursive, as --db: generate opens no warehouse.
    public static readonly Option<string?> Schema = new("--schema")
    {
        Description = $"PostgreSQL only: the schema that holds the warehouse, by its exact name (case and spaces count); it must exist, and llmlog reads and writes only there. Default: ${DatabaseTarget.SchemaVariable}, else the schema search_path chooses (public)",
        HelpName = "name",
    };

    /// <summary>The warehouse a command's <see cref="Db"/> and <see cref="Schema"/> name (or their environment variables).</summary>
    public static DatabaseTarget Target(ParseResult parse) => DatabaseTarget.Resolve(parse.GetValue(Db), parse.GetValue(Schema));

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

    public static readonly Option<int> LockTimeout = NewLockTimeout("Seconds to wait for another llmlog run that is writing to the same database");

    // Every command's help said "for export, also to the same --out", and export waits only for another export of the
    // same --partition-by tree: two exports to one file each write beside it and rename (found by probing the CLI).
    public static readonly Option<int> ExportLockTimeout = NewLockTimeout(
        "Seconds to wait for another llmlog run that is writing to the same database, or for another export writing the same --partition-by tree");

    private static Option<int> NewLockTimeout(string description) => new("--lock-timeout")
    {
        Description = description,
        DefaultValueFactory = _ => 600,
        HelpName = "seconds",
        // A negative wait was taken as "do not wait"; it is a typo more likely than a wish.
        CustomParser = r => (int)OptionParsers.Whole("--lock-timeout", 0, int.MaxValue)(r),
    };

    // Before --from and --to, whose parsers read it: static fields are set in the order they are written.
    public static readonly Option<string> TimeZone = new("--timezone")
    {
        Description = "IANA time zone for days and hours, e.g. America/New_York (DST-correct)",
        DefaultValueFactory = _ => "UTC",
        HelpName = "zone",
    };

    public static readonly Option<DateOnly?> From = new("--from")
    {
        Description = "First day to include (inclusive): YYYY-MM-DD, or today, yesterday or today-N (N days before today in --timezone)",
        HelpName = "date",
        CustomParser = OptionParsers.Day("--from", TimeZone),
    };

    public static readonly Option<DateOnly?> To = new("--to")
    {
        Description = "Last day to include (inclusive): YYYY-MM-DD, or today, yesterday or today-N",
        HelpName = "date",
        CustomParser = OptionParsers.Day("--to", TimeZone),
    };

    public static readonly Option<string?> Model = new("--model")
    {
        Description = "Only calls of this model (exact name, or a family such as gpt-4o)",
        HelpName = "name",
    };

    static SharedOptions()
    {
        LogFormat.AcceptOnlyFromAmong("text", "json");
        LogLevel.AcceptOnlyFromAmong("debug", "information", "warning", "error");
    }
}
