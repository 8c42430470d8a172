using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Npgsql;

namespace LlmLog.Warehouse;

/// <summary>
/// Where the warehouse lives, parsed from <c>--db</c> or <c>LLMLOG_DB</c>: a <c>postgresql://</c> URI, a libpq keyword
/// string or an Npgsql one selects PostgreSQL; anything else is a DuckDB file path.
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

    /// <summary>The target named by <c>--db</c>, else by <see cref="EnvironmentVariable"/>, else <see cref="DefaultDuckDbPath"/>.</summary>
    public static DatabaseTarget Resolve(string? option)
    {
        if (option is not null)
        {
            // An empty --db is nearly always "--db $LLMLOG_PG" with the variable unset: falling back to ./llmlog.duckdb
            // loaded a scheduled run into a file nobody reads.
            return string.IsNullOrWhiteSpace(option)
                ? throw Usage("--db is empty (a variable that is not set?); name a DuckDB file or a PostgreSQL target, or leave --db out to use $" + EnvironmentVariable + $" or ./{DefaultDuckDbPath}")
                : Parse(option);
        }
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env)
        {
            return string.IsNullOrWhiteSpace(env)
                ? throw Usage($"{EnvironmentVariable} holds only spaces; name a DuckDB file or a PostgreSQL target in it, or unset it to use ./{DefaultDuckDbPath}")
                : Parse(env, EnvironmentVariable);
        }
        return Parse(DefaultDuckDbPath);
    }

    /// <summary>
    /// Reads a target. Anything that looks like a PostgreSQL target but cannot be read is a usage error whose message
    /// holds no password: it is never taken for a DuckDB file name instead (a URI typed with one slash became a new
    /// file, and its password was printed as that file's name).
    /// </summary>
    /// <param name="value">What was given.</param>
    /// <param name="source">Where it was given, for the messages: <c>--db</c> or <see cref="EnvironmentVariable"/>.</param>
    public static DatabaseTarget Parse(string value, string source = "--db") => Parse(value, source, PostgresEnvironment.OfThisProcess);

    /// <summary>Reads a target, taking what a PostgreSQL one leaves out from <paramref name="environment"/> as libpq would.</summary>
    internal static DatabaseTarget Parse(string value, string source, PostgresEnvironment environment)
    {
        value = value.Trim();
        if (value.Length == 0) throw Usage($"{source} is empty; name a DuckDB file or a PostgreSQL target");
        if (PostgresUri().IsMatch(value)) return Postgres(Libpq.FromUri(value, source), value, source, environment);
        if (UriScheme().Match(value) is { Success: true } scheme)
        {
            if (IsPostgresLike(scheme.Groups["scheme"].Value.ToLowerInvariant()))
            {
                throw Usage($"{source} looks like a mistyped PostgreSQL URI ({Secrets.Mask(value)}); write it as {Libpq.UriForm}, with two slashes after postgresql:");
            }
            if (value[scheme.Length..].StartsWith("//", StringComparison.Ordinal))
            {
                throw Usage($"{source} is a '{scheme.Groups["scheme"].Value}' URI ({Secrets.Mask(value)}), which llmlog cannot use; it takes a PostgreSQL URI ({Libpq.UriForm}), a PostgreSQL connection string or a DuckDB file path");
            }
        }
        if (Libpq.KeywordPairs(value) is { } pairs && (pairs.Count > 1 || Libpq.IsKeyword(pairs[0].Key)))
        {
            return Postgres(Libpq.FromKeywords(pairs, source), value, source, environment);
        }
        if (KeywordStart().IsMatch(value)) return Postgres(FromNpgsqlKeywords(value, source), value, source, environment);
        if (Secrets.HoldsPassword(value))
        {
            throw Usage($"{source} holds what looks like a password ({Secrets.Mask(value)}), so it is not taken for a DuckDB file name; a PostgreSQL URI starts with postgresql://");
        }
        OutputFile.RefuseNonUtf8Name(source, value);
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

    private static DatabaseTarget Postgres(NpgsqlConnectionStringBuilder builder, string given, string source, PostgresEnvironment environment)
    {
        RejectRunTogetherSettings(builder, source);
        // Npgsql has no default host and said only "Value cannot be null. (Parameter 'Host')"; a user who runs
        // "psql -d wh" expects "--db dbname=wh" to reach the same server, through PGHOST or the local socket.
        environment.FillIn(builder, source);
        // Npgsql checks a server's kind only among several hosts, and stopped a single one with an internal error.
        if (builder.TargetSessionAttributes is { } kind && kind != "any" && !(builder.Host ?? "").Contains(',', StringComparison.Ordinal))
        {
            throw Usage($"{source}: target_session_attrs={kind} needs several hosts (host=primary,standby) with Npgsql, which llmlog connects with; with one host, leave it out");
        }
        builder = WithoutStatementTimeoutUnlessSet(builder, given);
        return new DatabaseTarget(Engine.Postgres, builder.ConnectionString, Describe(builder));
    }

    /// <summary>Npgsql's own form, <c>Host=db;Database=llm;Username=etl</c>.</summary>
    private static NpgsqlConnectionStringBuilder FromNpgsqlKeywords(string value, string source)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        // Npgsql says only "Couldn't set backup (Parameter 'backup')", for a DuckDB file named backup=2024.duckdb as for
        // Port=abc; the key is named (never its value, which may be a password) with what to do.
        catch (ArgumentException e) when (e.ParamName is { Length: > 0 } key && KeyAsWritten(value, key) is { } written)
        {
            throw Usage(new NpgsqlConnectionStringBuilder().ContainsKey(key)
                ? $"{source}: the value of {written} cannot be read (a number for Port and the timeouts, true or false for a switch)"
                : $"{source}: '{written}' is not a setting of an Npgsql connection string (Host=db;Database=llm;Username=etl); "
                  + $"a DuckDB file whose name starts with '{written}=' is written ./{written}=...");
        }
        catch (ArgumentException e)
        {
            throw Usage($"{source} looks like a PostgreSQL connection string but cannot be read: {Secrets.Mask(e.Message)}");
        }
        return builder;
    }

    // The key as the user wrote it ("Frobnicate", where Npgsql reports "frobnicate"), or null when it cannot be found.
    private static string? KeyAsWritten(string value, string key) =>
        value.Split(';').Select(part => part.Split('=', 2)[0].Trim()).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    // "Host=a,Port=5502,Password=..." is one setting to Npgsql (and "host=a,port=5502" one to libpq): a host named by
    // the whole line, which failed with exit 4 and no reason. Only the keys are named: the rest may be a password.
    private static void RejectRunTogetherSettings(NpgsqlConnectionStringBuilder builder, string source)
    {
        foreach (string key in builder.Keys)
        {
            // Options holds server settings of its own (-c search_path=llm).
            if (key.Contains("password", StringComparison.OrdinalIgnoreCase) || key == "Options" || builder[key] is not string text) continue;
            var inside = SettingInside().Matches(text).Select(m => $"'{m.Groups["key"].Value.Trim()}='").Distinct().ToList();
            if (inside.Count > 0)
            {
                throw Usage($"{source}: the value of {key} holds {string.Join(", ", inside)}: separate settings with ';' in a connection string (Host=db;Port=5432;Database=llm) or with spaces in libpq's form (host=db port=5432 dbname=llm), not with ','");
            }
        }
    }

    private static bool IsPostgresLike(string scheme) =>
        scheme is "pg" or "pgsql" or "psql" || Distance(scheme, "postgres") <= 2 || Distance(scheme, "postgresql") <= 2;

    /// <summary>The number of single-letter edits that turn <paramref name="a"/> into <paramref name="b"/> (Levenshtein).</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }

    private static LlmLogException Usage(string message) => new(ExitCode.Usage, message);

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

    // Written as a URI libpq would read back: a socket folder, a user and a database percent-encoded ("my db" was
    // printed as is, found by probing), an IPv6 address in brackets.
    private static string Describe(NpgsqlConnectionStringBuilder b)
    {
        var host = b.Host ?? "";
        var user = string.IsNullOrEmpty(b.Username) ? "" : Uri.EscapeDataString(b.Username) + "@";
        var database = Uri.EscapeDataString(b.Database ?? "");
        // Several hosts, each with its port, as libpq's URI writes them (primary:5432,standby:5433); Libpq.SetPorts has
        // already written the port of each host a port list named.
        if (host.Contains(',', StringComparison.Ordinal))
        {
            var hosts = host.Split(',').Select(h => h.Contains(':', StringComparison.Ordinal) && !h.EndsWith(']') ? h : WithPort(h, b.Port));
            return $"postgresql://{user}{string.Join(',', hosts)}/{database}";
        }
        return $"postgresql://{user}{WithPort(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('/') ? $"[{host}]" : host, b.Port)}/{database}";
    }

    // A host of a URI with its port: a socket folder percent-encoded.
    private static string WithPort(string host, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{(host.StartsWith('/') ? Uri.EscapeDataString(host) : host)}:{port}");

    [GeneratedRegex(@"^postgres(?:ql)?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PostgresUri();

    // Two letters at least: "C:" is a Windows drive, not a scheme.
    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]+):", RegexOptions.CultureInvariant)]
    private static partial Regex UriScheme();

    // key=... at the start: a connection string of some kind, never a file name (a file named so can be given as ./key=...).
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9 _]*=", RegexOptions.CultureInvariant)]
    private static partial Regex KeywordStart();

    [GeneratedRegex(@"[,;\s]\s*(?<key>[A-Za-z][A-Za-z _]*)=", RegexOptions.CultureInvariant)]
    private static partial Regex SettingInside();
}
