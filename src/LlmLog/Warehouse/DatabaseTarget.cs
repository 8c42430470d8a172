using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Npgsql;

namespace LlmLog.Warehouse;

/// <summary>
/// Where the warehouse lives, parsed from <c>--db</c> or <c>LLMLOG_DB</c>: a <c>postgresql://</c> URI or an
/// Npgsql keyword string selects PostgreSQL; anything else is a DuckDB file path.
/// </summary>
public sealed partial record DatabaseTarget(Engine Engine, string ConnectionString, string Display)
{
    /// <summary>The DuckDB file used when nothing else is configured.</summary>
    public const string DefaultDuckDbPath = "llmlog.duckdb";

    /// <summary>
    /// How much memory the embedded DuckDB may use unless <see cref="DuckDbMemoryLimitVariable"/> says otherwise:
    /// enough for the refresh after a 10M-call ingest and for <c>transform --full</c> over 10M calls, small enough
    /// for a job that shares its host (docs/performance.md, "Memory").
    /// </summary>
    public const string DefaultDuckDbMemoryLimit = "256MB";

    /// <summary>Environment variable overriding DuckDB's memory limit (e.g. <c>2GB</c>); beyond it DuckDB spills to disk.</summary>
    public const string DuckDbMemoryLimitVariable = "LLMLOG_DUCKDB_MEMORY_LIMIT";

    /// <summary>The environment variable that names the database when <c>--db</c> is not given.</summary>
    public const string EnvironmentVariable = "LLMLOG_DB";

    public static DatabaseTarget Resolve(string? option) =>
        Parse(!string.IsNullOrWhiteSpace(option) ? option
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env
            : DefaultDuckDbPath);

    public static DatabaseTarget Parse(string value)
    {
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var builder = WithoutStatementTimeoutUnlessSet(FromUri(value), value);
            return new DatabaseTarget(Engine.Postgres, builder.ConnectionString, Describe(builder));
        }
        if (!value.Contains(';', StringComparison.Ordinal) && LibpqKeywords().Match(value) is { Success: true } libpq)
        {
            var builder = WithoutStatementTimeoutUnlessSet(FromLibpq(libpq), value);
            return new DatabaseTarget(Engine.Postgres, builder.ConnectionString, Describe(builder));
        }
        if (LooksLikeKeywords().IsMatch(value))
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(value);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--db looks like a PostgreSQL connection string but cannot be read: {Secrets.Mask(e.Message)}", e);
            }
            builder = WithoutStatementTimeoutUnlessSet(builder, value);
            return new DatabaseTarget(Engine.Postgres, builder.ConnectionString, Describe(builder));
        }
        var path = Path.GetFullPath(value);
        // DuckDB would otherwise take up to 80% of the machine's memory; a scheduled job shares its host.
        var memoryLimit = DuckDbMemoryLimit;
        // The builder quotes what needs quoting: a ';' in the path or the limit stays part of that value
        // instead of starting another setting.
        var duck = new DuckDBConnectionStringBuilder { DataSource = path };
        duck[MemoryLimitSetting] = memoryLimit;
        return new DatabaseTarget(Engine.DuckDb, duck.ConnectionString, $"duckdb:{path}");
    }

    /// <summary>The memory limit DuckDB is opened with: <see cref="DuckDbMemoryLimitVariable"/>, else the default.</summary>
    public static string DuckDbMemoryLimit =>
        Environment.GetEnvironmentVariable(DuckDbMemoryLimitVariable) is { Length: > 0 } limit ? limit.Trim() : DefaultDuckDbMemoryLimit;

    /// <summary>The DuckDB setting that <see cref="DuckDbMemoryLimitVariable"/> sets.</summary>
    public const string MemoryLimitSetting = "memory_limit";

    /// <summary>The database file of a DuckDB target.</summary>
    public string DuckDbPath => new DuckDBConnectionStringBuilder { ConnectionString = ConnectionString }.DataSource;

    /// <summary>The files a DuckDB warehouse consists of (its file, write-ahead log and spill folder), which no output may replace; none for PostgreSQL.</summary>
    public IReadOnlyList<string> Files => Engine == Engine.DuckDb ? [DuckDbPath, DuckDbPath + ".wal", DuckDbPath + ".tmp"] : [];

    private static NpgsqlConnectionStringBuilder FromUri(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"--db is not a valid PostgreSQL URI: {Secrets.Mask(value)} (expected postgresql://user:password@host:port/database)");
        }
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0) builder.Port = uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? uri.UserInfo[..colon] : uri.UserInfo);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
            var val = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : "";
            try
            {
                builder[key switch { "sslmode" => "SSL Mode", "application_name" => "Application Name", "connect_timeout" => "Timeout", "command_timeout" => "Command Timeout", _ => key }] = val;
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"--db URI has an unknown parameter '{key}'");
            }
        }
        return builder;
    }

    /// <summary>
    /// libpq's own keyword form, as psql and most PostgreSQL documentation write it: <c>host=db port=5432 dbname=llm
    /// user=etl</c>, pairs separated by spaces, a value with spaces in single quotes. Npgsql reads only its
    /// <c>;</c>-separated form, and took the whole string for a host name.
    /// </summary>
    private static NpgsqlConnectionStringBuilder FromLibpq(Match pairs)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        for (var i = 0; i < pairs.Groups["key"].Captures.Count; i++)
        {
            var key = pairs.Groups["key"].Captures[i].Value.ToLowerInvariant();
            var raw = pairs.Groups["value"].Captures[i].Value;
            var val = raw.StartsWith('\'') ? Regex.Replace(raw[1..^1], @"\\(.)", "$1") : raw;
            var name = key switch
            {
                "host" or "hostaddr" => "Host",
                "port" => "Port",
                "dbname" => "Database",
                "user" => "Username",
                "password" => "Password",
                "sslmode" => "SSL Mode",
                "connect_timeout" => "Timeout",
                "application_name" => "Application Name",
                _ => throw new ArgumentException($"--db has a libpq parameter llmlog does not read: '{key}' (it reads host, port, dbname, user, password, sslmode, connect_timeout, application_name)"),
            };
            builder[name] = val;
        }
        return builder;
    }

    [GeneratedRegex(@"^\s*(?:(?<key>[A-Za-z_]+)\s*=\s*(?<value>'(?:[^'\\]|\\.)*'|[^\s']+)\s+)+(?<key>[A-Za-z_]+)\s*=\s*(?<value>'(?:[^'\\]|\\.)*'|[^\s']+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex LibpqKeywords();

    // Npgsql gives up on a statement after 30 s by default. llmlog's statements are bulk work whose time
    // grows with the data (counting a 10M-call run took longer than that and failed the load), so they run
    // without a limit unless the connection string sets one ("Command Timeout=..." or ?command_timeout=...).
    private static NpgsqlConnectionStringBuilder WithoutStatementTimeoutUnlessSet(NpgsqlConnectionStringBuilder builder, string given)
    {
        if (!CommandTimeoutGiven().IsMatch(given)) builder.CommandTimeout = 0;
        return builder;
    }

    [GeneratedRegex(@"command[\s_]*timeout\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CommandTimeoutGiven();

    private static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"postgresql://{(string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@")}{b.Host}:{b.Port}/{b.Database}";

    [GeneratedRegex(@"(^|;)\s*(host|server|database|username|user id|port)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeKeywords();
}
