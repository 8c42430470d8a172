using System.Text.RegularExpressions;
using Npgsql;

namespace LlmLog.Warehouse;

/// <summary>
/// Reads libpq's two ways of naming a PostgreSQL database, as psql and most PostgreSQL documentation write them, into
/// Npgsql's settings: the URI (<c>postgresql://user:password@host:port/db?sslmode=verify-full</c>) and the keyword
/// string (<c>host=db port=5432 dbname=llm user=etl</c>).
/// </summary>
internal static partial class Libpq
{
    /// <summary>The libpq keywords llmlog reads, with the Npgsql setting each becomes.</summary>
    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["hostaddr"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["passfile"] = "Passfile",
        ["connect_timeout"] = "Timeout",
        ["client_encoding"] = "Client Encoding",
        ["options"] = "Options",
        ["application_name"] = "Application Name",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        // Several hosts (host=primary,standby) are tried in turn; these choose which of them will do, and in what order.
        ["target_session_attrs"] = "Target Session Attributes",
        ["load_balance_hosts"] = "Load Balance Hosts",
        // Not libpq's: llmlog's own, since its statements otherwise run without a time limit.
        ["command_timeout"] = "Command Timeout",
    };

    /// <summary>libpq keywords without an Npgsql equivalent: named as such rather than taken for a file name or an unknown word.</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "service", "require_auth", "channel_binding", "fallback_application_name", "keepalives", "keepalives_idle",
        "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "requiressl",
        "sslcompression", "sslcertmode", "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation",
    };

    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    // libpq's values, which Npgsql takes as they are written (and prefer-primary, which libpq does not have).
    private static readonly string[] SessionAttributes = ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"];

    // Written so that the mask, which hides user:password@, leaves the example whole.
    internal const string UriForm = "postgresql://user@host:port/database, a password after the user name and a ':'";

    private const string EncodingHint = "percent-encode '@' as %40, ':' as %3A and '/' as %2F in a user name or password";

    /// <summary>Whether <paramref name="key"/> is one of libpq's connection keywords, read or not.</summary>
    public static bool IsKeyword(string key) => Settings.ContainsKey(key) || Unsupported.Contains(key);

    /// <summary>
    /// The pairs of a libpq keyword string, or null when <paramref name="value"/> is not one. A value in single quotes
    /// may hold anything, a <c>;</c> too; an unquoted one no <c>;</c>, which makes the string Npgsql's form instead.
    /// </summary>
    public static IReadOnlyList<(string Key, string Value)>? KeywordPairs(string value)
    {
        var match = Keywords().Match(value);
        if (!match.Success) return null;
        var keys = match.Groups["key"].Captures;
        var values = match.Groups["value"].Captures;
        return [.. keys.Select((k, i) => (k.Value.ToLowerInvariant(), Unquote(values[i].Value)))];
    }

    /// <summary>The settings of a libpq keyword string (<c>host=db dbname=llm</c>).</summary>
    public static NpgsqlConnectionStringBuilder FromKeywords(IReadOnlyList<(string Key, string Value)> pairs, string source)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (!Settings.ContainsKey(key))
            {
                throw Usage($"{source} has a libpq parameter llmlog does not read: '{key}' ({Readable})");
            }
            // As libpq reads it: an empty value (application_name= at the end, or '') sets the setting back to its default,
            // also after a value given before it (host=a host=).
            if (value.Length == 0)
            {
                builder.Remove(Settings[key]);
                continue;
            }
            if (key != "port") Set(builder, key, value, source);
        }
        // After the loop: a list of ports pairs with the hosts, whichever of the two comes first.
        if (pairs.LastOrDefault(p => p.Key == "port") is { Key: not null, Value.Length: > 0 } port) SetPorts(builder, port.Value, $"{source}: port");
        return builder;
    }

    /// <summary>
    /// The settings of a <c>postgresql://</c> or <c>postgres://</c> URI, read as libpq reads it: the host may be a
    /// percent-encoded Unix-socket folder (<c>%2Ftmp</c>) or come from <c>?host=</c>, and the query takes libpq's
    /// keywords (and, as before, Npgsql's own setting names).
    /// </summary>
    public static NpgsqlConnectionStringBuilder FromUri(string value, string source)
    {
        var rest = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var query = question >= 0 ? rest[(question + 1)..] : "";
        var head = question >= 0 ? rest[..question] : rest;
        var slash = head.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? head[..slash] : head;
        var database = slash >= 0 ? head[(slash + 1)..] : "";

        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            if (userInfo.Contains('@', StringComparison.Ordinal))
            {
                throw Usage($"{source} has an '@' in its user name or password that is not percent-encoded ({Secrets.Mask(value)}); write each '@' in it as %40 (a password p@ss as p%40ss)");
            }
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Decode(colon >= 0 ? userInfo[..colon] : userInfo, value, source);
            if (user.Length > 0) builder.Username = user;
            if (colon >= 0) builder.Password = Decode(userInfo[(colon + 1)..], value, source);
            authority = authority[(at + 1)..];
        }
        ReadHostAndPort(builder, authority, value, source);
        if (database.Length > 0) builder.Database = Decode(database, value, source);

        string? ports = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) throw Usage($"{source} URI has a parameter without a value: '{Decode(pair, value, source)}' (write ?key=value&key=value)");
            var key = Decode(pair[..eq], value, source);
            var val = Decode(pair[(eq + 1)..], value, source);
            if (key == "port")
            {
                ports = val;
                continue;
            }
            if (Settings.ContainsKey(key))
            {
                Set(builder, key, val, source);
                continue;
            }
            if (Unsupported.Contains(key)) throw Usage($"{source} has a libpq parameter llmlog does not read: '{key}' ({Readable})");
            try
            {
                // Npgsql's own names (?Pooling=false) were always accepted here; they stay so.
                builder[key] = val;
            }
            catch (ArgumentException)
            {
                throw Usage($"{source} URI has an unknown parameter '{key}' ({Readable})");
            }
        }
        if (ports is not null) SetPorts(builder, ports, $"{source}: port");
        return builder;
    }

    /// <summary>
    /// Sets libpq's port, or list of ports (<c>port=5432,5433</c>, <c>PGPORT</c>), as libpq pairs it with the hosts:
    /// one port for every host, in order, or one for all of them. Npgsql takes the pairs in its Host setting
    /// (<c>primary:5432,standby:5433</c>).
    /// </summary>
    /// <param name="builder">The settings, with the hosts already set.</param>
    /// <param name="ports">One port number, or several separated by commas.</param>
    /// <param name="name">What the ports were given as, for the messages: <c>--db: port</c>, <c>PGPORT</c>.</param>
    /// <param name="why">Why they were taken from there, if that needs saying.</param>
    public static void SetPorts(NpgsqlConnectionStringBuilder builder, string ports, string name, string? why = null)
    {
        var note = why is null ? "" : $" ({why})";
        var numbers = ports.Split(',').Select(p => ReadPort(p.Trim(), ports, name, note)).ToArray();
        // Also with a list: the target then names its port, and PGPORT is not taken over it.
        builder.Port = numbers[0];
        if (numbers.Length == 1) return;
        var hosts = string.IsNullOrEmpty(builder.Host) ? [] : builder.Host.Split(',');
        if (hosts.Length != numbers.Length)
        {
            throw Usage($"{name} lists {numbers.Length} ports ({ports}) for {hosts.Length} host{(hosts.Length == 1 ? "" : "s")}" +
                $"{(hosts.Length > 0 ? $" ({builder.Host})" : "")}{note}; give one port for all hosts, or one for each, in the order of the hosts");
        }
        builder.Host = string.Join(',', hosts.Zip(numbers, (host, port) =>
            $"{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    private static int ReadPort(string port, string ports, string name, string note) =>
        int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
            ? number
            : throw Usage($"{name} must be a port number between 1 and 65535, or a list of them separated by ',', not '{ports}'{note}");

    private static string Readable =>
        $"it reads {string.Join(", ", Settings.Keys.Where(k => k != "command_timeout"))}, and llmlog's command_timeout";

    private static void ReadHostAndPort(NpgsqlConnectionStringBuilder builder, string authority, string value, string source)
    {
        if (authority.Length == 0) return;
        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw NotAUri(value, source, "an IPv6 address in '[' has no closing ']'");
            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0 && !after.StartsWith(':')) throw NotAUri(value, source, "an IPv6 address in [] may only be followed by :port");
            if (after.Length > 0) port = after[1..];
        }
        else if (authority.Contains(',', StringComparison.Ordinal))
        {
            // Several hosts (host1:5432,host2:5433): Npgsql takes the same list in its Host setting.
            builder.Host = Decode(authority, value, source);
            return;
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
            if (colon >= 0) port = authority[(colon + 1)..];
        }
        if (host.Length > 0) builder.Host = Decode(host, value, source);
        if (port is { Length: > 0 })
        {
            // The port is not quoted back: after a '/' or '@' left unencoded in a password, this is part of the password.
            if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                throw NotAUri(value, source, "its port is not a number between 1 and 65535");
            }
            builder.Port = number;
        }
    }

    private static void Set(NpgsqlConnectionStringBuilder builder, string key, string value, string source)
    {
        if (key == "sslmode")
        {
            builder.SslMode = ReadSslMode(value, source);
            return;
        }
        if (key == "load_balance_hosts")
        {
            builder.LoadBalanceHosts = value switch
            {
                "random" => true,
                "disable" => false,
                _ => throw Usage($"{source}: load_balance_hosts must be disable or random, not '{value}'"),
            };
            return;
        }
        if (key == "target_session_attrs" && !SessionAttributes.Contains(value))
        {
            throw Usage($"{source}: target_session_attrs must be one of {string.Join(", ", SessionAttributes)}, not '{value}'");
        }
        try
        {
            builder[Settings[key]] = value;
        }
        catch (ArgumentException)
        {
            // Only numbers fail here (connect_timeout, command_timeout); a password never does, so the value may be shown.
            throw Usage($"{source}: {key} must be a whole number, not '{value}'");
        }
    }

    /// <summary>One of libpq's <c>sslmode</c> values (<c>verify-full</c>), as Npgsql's setting.</summary>
    public static SslMode ReadSslMode(string value, string source) =>
        SslModes.TryGetValue(value, out var mode) ? mode
            : throw Usage($"{source}: sslmode must be one of {string.Join(", ", SslModes.Keys)}, not '{value}'");

    private static string Decode(string text, string value, string source)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw NotAUri(value, source, "a '%' is not followed by two hex digits");
        }
    }

    private static string Unquote(string raw) => raw.StartsWith('\'') ? Escaped().Replace(raw[1..^1], "$1") : raw;

    private static LlmLogException NotAUri(string value, string source, string why) =>
        Usage($"{source} is not a valid PostgreSQL URI ({Secrets.Mask(value)}): {why}; expected {UriForm} ({EncodingHint})");

    private static LlmLogException Usage(string message) => new(ExitCode.Usage, message);

    [GeneratedRegex(@"^\s*(?:(?<key>[A-Za-z_]+)\s*=\s*(?<value>'(?:[^'\\]|\\.)*'|[^\s';]*)\s+)*(?<key>[A-Za-z_]+)\s*=\s*(?<value>'(?:[^'\\]|\\.)*'|[^\s';]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Keywords();

    [GeneratedRegex(@"\\(.)", RegexOptions.CultureInvariant)]
    private static partial Regex Escaped();
}
