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
    /// <summary>The environment variable that names the PostgreSQL schema when <c>--schema</c> is not given.</summary>
    public const string SchemaVariable = "LLMLOG_SCHEMA";

    /// <summary>The PostgreSQL schema <c>--schema</c> (or <see cref="SchemaVariable"/>) named, exactly as typed; null when none was.</summary>
    public string? Schema { get; init; }

    /// <summary>Where <see cref="Schema"/> was given, for the messages: <c>--schema</c> or <see cref="SchemaVariable"/>.</summary>
    public string? SchemaSource { get; init; }

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

    /// <summary>
    /// The target named by <c>--db</c>, else by <see cref="EnvironmentVariable"/>, else <see cref="DefaultDuckDbPath"/>;
    /// in the schema named by <c>--schema</c>, else by <see cref="SchemaVariable"/>, else the one search_path chooses.
    /// </summary>
    public static DatabaseTarget Resolve(string? option, string? schemaOption = null)
    {
        var (target, source) = ResolveTarget(option);
        return SchemaGiven(schemaOption) is var (schema, schemaSource)
            ? InSchema(target, source, schema, schemaSource, PostgresEnvironment.OfThisProcess)
            : target;
    }

    private static (DatabaseTarget Target, string Source) ResolveTarget(string? option)
    {
        if (option is not null)
        {
            // An empty --db is nearly always "--db $LLMLOG_PG" with the variable unset: falling back to ./llmlog.duckdb
            // loaded a scheduled run into a file nobody reads.
            return string.IsNullOrWhiteSpace(option)
                ? throw Usage("--db is empty (a variable that is not set?); name a DuckDB file or a PostgreSQL target, or leave --db out to use $" + EnvironmentVariable + $" or ./{DefaultDuckDbPath}")
                : (Parse(option), "--db");
        }
        // Set but empty is as likely a mistake as --db "$UNSET": a unit's Environment=LLMLOG_DB=${URL} with URL unset loaded
        // into ./llmlog.duckdb, exit 0 (found by probing scheduled runs).
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { } env)
        {
            return string.IsNullOrWhiteSpace(env)
                ? throw Usage($"{EnvironmentVariable} is set but {(env.Length == 0 ? "empty" : "holds only spaces")} (a variable that is not set?); name a DuckDB file or a PostgreSQL target in it, or unset it to use ./{DefaultDuckDbPath}")
                : (Parse(env, EnvironmentVariable), EnvironmentVariable);
        }
        return (Parse(DefaultDuckDbPath), "--db");
    }

    // The schema's name is taken as typed, spaces and case included: it is the schema's real name, never folded.
    private static (string Name, string Source)? SchemaGiven(string? option)
    {
        if (option is not null)
        {
            // As for --db: an empty --schema is nearly always "--schema $VARIABLE" with the variable unset.
            return string.IsNullOrWhiteSpace(option)
                ? throw Usage($"--schema is empty (a variable that is not set?); name the warehouse's PostgreSQL schema, or leave --schema out to use ${SchemaVariable} or the schema search_path chooses")
                : (option, "--schema");
        }
        if (Environment.GetEnvironmentVariable(SchemaVariable) is { } env)
        {
            return string.IsNullOrWhiteSpace(env)
                ? throw Usage($"{SchemaVariable} is set but {(env.Length == 0 ? "empty" : "holds only spaces")} (a variable that is not set?); name the warehouse's PostgreSQL schema in it, or unset it")
                : (env, SchemaVariable);
        }
        return null;
    }

    /// <summary>
    /// <paramref name="target"/> with its search_path exactly <paramref name="schema"/>, sent by Npgsql when it connects
    /// (a setting of the connection, never SQL). A DuckDB target, a name PostgreSQL would cut short, and a search_path
    /// that <c>--db</c> or <c>PGOPTIONS</c> sets to something else are usage errors.
    /// </summary>
    /// <param name="target">The target read from <paramref name="dbSource"/>.</param>
    /// <param name="dbSource">Where the target was given: <c>--db</c> or <see cref="EnvironmentVariable"/>.</param>
    /// <param name="schema">The schema's real name, as typed.</param>
    /// <param name="schemaSource">Where it was given: <c>--schema</c> or <see cref="SchemaVariable"/>.</param>
    /// <param name="environment">Where <c>PGOPTIONS</c> is read, as Npgsql reads it when the target sets no options.</param>
    internal static DatabaseTarget InSchema(DatabaseTarget target, string dbSource, string schema, string schemaSource, PostgresEnvironment environment)
    {
        var quoted = WarehouseSchema.Quote(schema);
        if (target.Engine != Engine.Postgres)
        {
            var drop = schemaSource == SchemaVariable ? $"unset {SchemaVariable}" : "drop --schema";
            throw Usage($"{schemaSource} ({quoted}) is for a PostgreSQL warehouse; a DuckDB warehouse is its file ({target.Display}), with no schema to choose: " +
                $"{drop}, and keep another warehouse in another file (--db other.duckdb)");
        }
        // PostgreSQL cuts longer names short without a word, and would then use, or report missing, another schema.
        if (System.Text.Encoding.UTF8.GetByteCount(schema) > MaxIdentifierBytes)
        {
            throw Usage($"{schemaSource} names a schema of {System.Text.Encoding.UTF8.GetByteCount(schema)} bytes; PostgreSQL's names have at most {MaxIdentifierBytes}");
        }
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        // Two places naming the schema, differently: which one a reader of the job's settings expects to win is anyone's
        // guess, and a warehouse in the other schema would be created or read without a word. The user chooses.
        foreach (var (where, searchPath) in SearchPathsSet(builder, dbSource, environment))
        {
            var names = WarehouseSchema.Names(searchPath);
            if (names.Count != 1 || names[0] != schema)
            {
                throw Usage($"{schemaSource} names schema {quoted}, but search_path is set to {searchPath} in {where}: name the warehouse's schema in one place " +
                    $"(drop search_path from {where}, or drop {schemaSource})");
            }
        }
        // Always quoted: the name is the schema's real one ("My Schema", LLM), which PostgreSQL would otherwise fold or split.
        builder.SearchPath = "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        // Shown by its schema alone: a search_path set beside it names the same schema (anything else stopped above).
        return new DatabaseTarget(Engine.Postgres, builder.ConnectionString, $"{Describe(builder)} (schema {quoted})")
        {
            Schema = schema,
            SchemaSource = schemaSource,
        };
    }

    // NAMEDATALEN - 1 of a standard PostgreSQL build.
    private const int MaxIdentifierBytes = 63;

    // The search_path a target's connection would set: Npgsql's Search Path, and -c search_path= (or --search_path=) in
    // its Options, else in PGOPTIONS, which Npgsql reads only when the target sets no Options.
    private static IEnumerable<(string Where, string SearchPath)> SearchPathsSet(NpgsqlConnectionStringBuilder builder, string dbSource, PostgresEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(builder.SearchPath)) yield return (dbSource, builder.SearchPath);
        var (options, where) = string.IsNullOrEmpty(builder.Options) ? (environment.Variable("PGOPTIONS"), "PGOPTIONS") : (builder.Options, $"the options of {dbSource}");
        if (options is not null && SearchPathInOptions(options) is { } fromOptions) yield return (where, fromOptions);
    }

    /// <summary>
    /// The search_path that server options (libpq's <c>options</c>, <c>PGOPTIONS</c>) set, as the server reads them:
    /// words split at spaces a backslash does not escape, <c>-c name=value</c>, <c>-cname=value</c> or
    /// <c>--name=value</c>, the last one winning; null when they set none.
    /// </summary>
    internal static string? SearchPathInOptions(string options)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        for (var i = 0; i < options.Length; i++)
        {
            var c = options[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            if (c == '\\' && i + 1 < options.Length) c = options[++i];
            word.Append(c);
            inWord = true;
        }
        if (inWord) words.Add(word.ToString());

        string? found = null;
        for (var i = 0; i < words.Count; i++)
        {
            string? setting = words[i] switch
            {
                "-c" when i + 1 < words.Count => words[++i],
                var w when w.StartsWith("--", StringComparison.Ordinal) => w[2..],
                var w when w.StartsWith("-c", StringComparison.Ordinal) => w[2..],
                _ => null,
            };
            if (setting?.Split('=', 2) is [var name, var value]
                && string.Equals(name.Replace('-', '_'), "search_path", StringComparison.OrdinalIgnoreCase))
            {
                found = value;
            }
        }
        return found;
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
        duck["checkpoint_threshold"] = CheckpointThreshold;
        return new DatabaseTarget(Engine.DuckDb, duck.ConnectionString, $"duckdb:{path}");
    }

    /// <summary>
    /// How large DuckDB lets its write-ahead log grow before it writes the changes into the database file. A large file's
    /// rows go straight into the database file as they are appended; a small file's (a row group holds 122,880 rows) go
    /// to the log, and at DuckDB's default of 16MB every ~24th file of an hour's calls paid a checkpoint of 0.2–2.1 s that
    /// rewrote the table's growing last row group: a month of hourly files (720 files, 1M calls) took 66.9 s
    /// (docs/performance.md, "Many small files"). A larger log is faster still (256MB: 34.5 s), but the next open of a
    /// killed run's file replays its log in memory: at 256MB that outgrew the default memory limit, and a reader who may
    /// not write beside the file (where DuckDB spills) could no longer open it (found by reviewing this change). A quarter
    /// of the default limit replays within it.
    /// </summary>
    internal const string CheckpointThreshold = "64MB";

    /// <summary>The memory limit DuckDB is opened with: <see cref="DuckDbMemoryLimitVariable"/>, else the default.</summary>
    public static string DuckDbMemoryLimit => Environment.GetEnvironmentVariable(DuckDbMemoryLimitVariable)?.Trim() switch
    {
        null => DefaultDuckDbMemoryLimit,
        // Set but empty meant the default without a word, where an empty LLMLOG_DB or LLMLOG_SCHEMA is refused.
        "" => throw Usage($"{DuckDbMemoryLimitVariable} is empty (a variable that is not set?); give an amount of memory such as 512MB or 2GB, "
            + $"or unset it for the default of {DefaultDuckDbMemoryLimit}"),
        // DuckDB reads a negative limit as its own default, 80% of the machine's memory: the cap a job sharing its host
        // relies on was gone (found by probing the CLI).
        var limit when limit.StartsWith('-') => throw Usage($"{DuckDbMemoryLimitVariable} must be an amount of memory such as 512MB or 2GB, "
            + $"not {limit} (DuckDB reads a negative limit as no limit of llmlog's: 80% of the machine's memory)"),
        var limit => limit,
    };

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
        // libpq uses no SSL over a Unix socket, whatever sslmode says; Npgsql refused the connection, so a cron job on a
        // host that exports PGSSLMODE=require for its remote databases could not reach the local one psql reaches (found
        // by probing scheduled runs).
        if (builder.SslMode != SslMode.Disable && (builder.Host ?? "").Split(',').All(h => h.StartsWith('/') || h.StartsWith('@')))
        {
            builder.SslMode = SslMode.Disable;
        }
        // Npgsql checks a server's kind only among several hosts, and stopped a single one with an internal error.
        if (builder.TargetSessionAttributes is { } kind && kind != "any" && !(builder.Host ?? "").Contains(',', StringComparison.Ordinal))
        {
            throw Usage($"{source}: target_session_attrs={kind} needs several hosts (host=primary,standby) with Npgsql, which llmlog connects with; with one host, leave it out");
        }
        RequireUtf8(builder, source, environment);
        // A DBA looking at pg_stat_activity saw llmlog's sessions without a name, and could not tell which to end (found by
        // probing PostgreSQL as DBAs run it). A name given in the target or PGAPPNAME stays.
        if (string.IsNullOrEmpty(builder.ApplicationName) && string.IsNullOrWhiteSpace(environment.Variable("PGAPPNAME"))) builder.ApplicationName = "llmlog";
        builder = WithoutStatementTimeoutUnlessSet(builder, given);
        // Two warehouses in two schemas of one database, chosen by search_path, were shown alike in every message.
        var display = SearchPathsSet(builder, source, environment).FirstOrDefault() is { SearchPath: { } searchPath }
            ? $"{Describe(builder)} (search_path {searchPath})"
            : Describe(builder);
        return new DatabaseTarget(Engine.Postgres, builder.ConnectionString, display);
    }

    /// <summary>Npgsql's own form, <c>Host=db;Database=llm;Username=etl</c>.</summary>
    /// <summary>
    /// Npgsql writes and reads text as UTF-8 whatever client_encoding tells the server: under <c>client_encoding=LATIN1</c>
    /// (in the target, or in PGCLIENTENCODING, which Npgsql reads) every non-ASCII text (a model, a file name, a reject's raw
    /// record) was stored garbled with exit 0, and under WIN1252 a file failed with "has no equivalent" and "run again once
    /// the database is back" (found by probing both engines). The target may not ask for another encoding; PGCLIENTENCODING,
    /// which sets what psql's terminal shows, does not apply to llmlog's connection, which always says UTF8.
    /// </summary>
    private static void RequireUtf8(NpgsqlConnectionStringBuilder builder, string source, PostgresEnvironment environment)
    {
        if (builder.ClientEncoding is { } asked && !IsUtf8(asked))
        {
            throw Usage($"{source} sets client_encoding {asked}: llmlog sends and reads text as UTF-8, and the database keeps its own encoding whatever the connection's; "
                + "leave client_encoding out (or set it to UTF8)");
        }
        if (environment.Variable("PGCLIENTENCODING") is { } ambient && !string.IsNullOrWhiteSpace(ambient) && !IsUtf8(ambient.Trim()))
        {
            Serilog.Log.Debug("PGCLIENTENCODING={Encoding} sets psql's encoding; llmlog's connection sends and reads UTF-8 and says so to the server", ambient.Trim());
        }
        builder.ClientEncoding = "UTF8";
    }

    // PostgreSQL's names of UTF-8, in any case: UTF8, and its alias UNICODE; "UTF-8" as .NET and most tools spell it.
    private static bool IsUtf8(string encoding) =>
        encoding.Equals("UTF8", StringComparison.OrdinalIgnoreCase) || encoding.Equals("UTF-8", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("UNICODE", StringComparison.OrdinalIgnoreCase);

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
        scheme is "pg" or "pgsql" or "psql" || Spelling.Distance(scheme, "postgres") <= 2 || Spelling.Distance(scheme, "postgresql") <= 2;

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
