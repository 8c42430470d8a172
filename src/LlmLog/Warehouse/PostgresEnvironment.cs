using Npgsql;

namespace LlmLog.Warehouse;

/// <summary>
/// libpq's defaults for what a PostgreSQL target leaves out, so that a target psql reads (<c>dbname=wh</c>,
/// <c>postgresql:///wh</c>) reaches the server psql would: <c>PGHOST</c> (else the local server's Unix socket folder),
/// <c>PGPORT</c>, <c>PGDATABASE</c> and <c>PGSSLMODE</c>.
/// </summary>
/// <remarks>
/// Npgsql reads <c>PGUSER</c>, <c>PGPASSWORD</c>, <c>PGPASSFILE</c>, <c>PGSSLROOTCERT</c>, <c>PGSSLCERT</c>,
/// <c>PGSSLKEY</c>, <c>PGOPTIONS</c>, <c>PGAPPNAME</c> and a few more itself when it opens a connection, and without a
/// database it uses the user's name as libpq does; those are left to it.
/// </remarks>
/// <param name="Variable">Reads an environment variable.</param>
/// <param name="FolderExists">Whether a folder exists, to choose the default socket folder.</param>
internal sealed record PostgresEnvironment(Func<string, string?> Variable, Func<string, bool> FolderExists)
{
    /// <summary>The environment of this process.</summary>
    public static PostgresEnvironment OfThisProcess { get; } = new(Environment.GetEnvironmentVariable, Directory.Exists);

    /// <summary>Where Debian's, Ubuntu's and Red Hat's libpq look for the local server's socket.</summary>
    public const string PackagedSocketFolder = "/var/run/postgresql";

    /// <summary>Where libpq built from PostgreSQL's own sources looks (Homebrew, the project's tarballs).</summary>
    public const string SourceSocketFolder = "/tmp";

    /// <summary>Sets what <paramref name="builder"/> leaves out from the environment, as libpq would.</summary>
    /// <param name="builder">The settings read from the target.</param>
    /// <param name="source">Where the target was given, for the messages: <c>--db</c> or <c>LLMLOG_DB</c>.</param>
    public void FillIn(NpgsqlConnectionStringBuilder builder, string source)
    {
        if (string.IsNullOrEmpty(builder.Host)) builder.Host = Value("PGHOST") ?? DefaultHost;
        if (!IsSet(builder, "Port") && Value("PGPORT") is { } port)
        {
            Libpq.SetPorts(builder, port, "PGPORT", $"{source} names no port, so it is taken from PGPORT");
        }
        if (string.IsNullOrEmpty(builder.Database) && Value("PGDATABASE") is { } database) builder.Database = database;
        if (!IsSet(builder, "SSL Mode") && Value("PGSSLMODE") is { } mode) builder.SslMode = Libpq.ReadSslMode(mode, "PGSSLMODE");
    }

    // libpq's default host: a socket folder fixed when libpq was built, and localhost on Windows, which has no sockets
    // libpq uses. The packaged folder exists wherever a distribution's server or client is installed.
    private string DefaultHost =>
        OperatingSystem.IsWindows() ? "localhost" : FolderExists(PackagedSocketFolder) ? PackagedSocketFolder : SourceSocketFolder;

    // An empty variable is taken as unset: "PGHOST= llmlog ..." means no host, not a host named "".
    private string? Value(string name) => Variable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool IsSet(NpgsqlConnectionStringBuilder builder, string key) =>
        builder.Keys.Cast<string>().Contains(key, StringComparer.OrdinalIgnoreCase);
}
