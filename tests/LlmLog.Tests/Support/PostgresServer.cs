using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LlmLog.Tests.Support;

/// <summary>A real PostgreSQL server for tests: a throwaway local cluster, or the server named by LLMLOG_TEST_PG.</summary>
public sealed class PostgresServer : IDisposable
{
    /// <summary>Npgsql connection string of a server where the user may CREATE DATABASE; when set, no local cluster is started.</summary>
    public const string EnvironmentVariable = "LLMLOG_TEST_PG";

    private const string DirPrefix = "llmlog-pg-";

    private static readonly Lazy<PostgresServer> SharedInstance = new(CreateShared, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string? _binDir;
    private readonly string? _dir;
    private readonly bool _isShared;
    private readonly int? _smallDiskKilobytes;
    private readonly ConcurrentBag<string> _databases = [];
    private readonly Lock _lock = new();
    private bool _running;
    private bool _disposed;

    private PostgresServer(string adminConnectionString, string? binDir, string? dir, bool isShared, int? smallDiskKilobytes = null)
    {
        _smallDiskKilobytes = smallDiskKilobytes;
        AdminConnectionString = adminConnectionString;
        _binDir = binDir;
        _dir = dir;
        _isShared = isShared;
        // A local cluster is removed by its watchdog; on the user's own server only our databases need dropping.
        if (IsExternal)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => BestEffort(DropDatabases);
    }

    /// <summary>The server every test shares; started on first use, removed once the test process has exited.</summary>
    public static PostgresServer Shared => SharedInstance.Value;

    /// <summary>Connection string of the superuser's maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The folder of a local cluster's Unix socket, as PGHOST or host= names it; null for the server named by LLMLOG_TEST_PG.</summary>
    public string? SocketFolder => _dir;

    /// <summary>True when the server is the one named by LLMLOG_TEST_PG, which tests may not stop.</summary>
    public bool IsExternal => _dir is null;

    /// <summary>
    /// Starts a cluster of this test's own, which it may stop and restart without disturbing tests that run in parallel
    /// on <see cref="Shared"/>. Always local, since a server named by LLMLOG_TEST_PG cannot be stopped from here.
    /// </summary>
    public static PostgresServer StartPrivate() => StartLocal(isShared: false);

    /// <summary>
    /// Starts a cluster of this test's own with a folder, <see cref="SmallDiskFolder"/>, on a disk of its own that holds
    /// only <paramref name="kilobytes"/>: a full disk for real (ENOSPC), not a stand-in. Make it a tablespace to fill it.
    /// The tmpfs is mounted in a private mount namespace that the server lives in, so it is gone with the server and
    /// never seen outside; the tests reach the server by TCP as usual. Not for <see cref="Stop"/> and <see cref="Start"/>:
    /// a restart would find an empty disk.
    /// </summary>
    public static PostgresServer StartPrivateWithSmallDisk(int kilobytes) => StartLocal(isShared: false, kilobytes);

    /// <summary>The folder on the small disk of a <see cref="StartPrivateWithSmallDisk"/> server, as the server sees it.</summary>
    public string SmallDiskFolder => Path.Combine(_dir ?? throw new InvalidOperationException("Only a local cluster has a small disk."), "small-disk");

    /// <summary>
    /// Gives every later session of the database of <paramref name="connectionString"/> these settings
    /// (<c>statement_timeout = '20ms'</c>), as a DBA's <c>ALTER DATABASE ... SET</c> does.
    /// </summary>
    public static async Task SetForDatabaseAsync(string connectionString, params string[] settings)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        foreach (var setting in settings)
        {
            await using var set = new NpgsqlCommand($"ALTER DATABASE \"{database}\" SET {setting}", admin);
            await set.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Creates a fresh, uniquely named database and returns its connection string; with <paramref name="template"/>
    /// (the connection string of one of this server's databases) it starts as a copy of that one.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? template = null, string? options = null)
    {
        var name = "llmlog_test_" + Guid.NewGuid().ToString("N");
        var from = options is null ? "" : " " + options;
        if (template is not null)
        {
            // PostgreSQL copies only a template nobody is connected to: pooled idle connections to it must be cleared first.
            await using (var pooled = new NpgsqlConnection(template)) NpgsqlConnection.ClearPool(pooled);
            from += $" TEMPLATE \"{new NpgsqlConnectionStringBuilder(template).Database}\"";
        }
        await using (var connection = new NpgsqlConnection(Unpooled(AdminConnectionString)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{from}", connection);
            await command.ExecuteNonQueryAsync();
        }

        _databases.Add(name);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut); only for a <see cref="StartPrivate"/> server.</summary>
    public void Stop()
    {
        EnsureControllable();
        lock (_lock)
        {
            if (!_running)
                return;
            PgCtl("-m", "fast", "stop");
            _running = false;
        }
    }

    /// <summary>Starts the server again after <see cref="Stop"/>, on the same port, with the same databases.</summary>
    public void Start()
    {
        EnsureControllable();
        lock (_lock)
        {
            if (_running)
                return;
            StartCluster();
            // Idle pooled connections to the old postmaster are dead; without this a test's first command after a restart fails.
            foreach (var connectionString in _databases.Select(ConnectionStringFor).Append(AdminConnectionString))
            {
                using var connection = new NpgsqlConnection(connectionString);
                NpgsqlConnection.ClearPool(connection);
            }
        }
    }

    /// <summary>
    /// Makes a <see cref="StartPrivate"/> server offer SSL with this certificate and private key (PEM), as a managed
    /// server does; connections without SSL are still taken until <see cref="SetAccessRules"/> says otherwise.
    /// </summary>
    public void EnableSsl(string certificatePem, string privateKeyPem)
    {
        EnsureControllable();
        var certificate = Path.Combine(_dir!, "server.crt");
        var key = Path.Combine(_dir!, "server.key");
        using (var admin = new NpgsqlConnection(Unpooled(AdminConnectionString)))
        {
            admin.Open();
            // The server writes the files itself, so that they belong to the user it runs as.
            WriteAsServer(admin, certificate, certificatePem);
            WriteAsServer(admin, key, privateKeyPem);
            // COPY leaves the file readable by all, and the server will not load a key others may read.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            foreach (var (setting, value) in (ReadOnlySpan<(string, string)>)[("ssl_cert_file", certificate), ("ssl_key_file", key), ("ssl", "on")])
                Execute(admin, $"ALTER SYSTEM SET {setting} = '{value}'");
        }
        Reload();
        // A certificate the server cannot load leaves SSL off with only a line in its log.
        try
        {
            using var encrypted = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { SslMode = SslMode.Require, Pooling = false }.ConnectionString);
            encrypted.Open();
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"PostgreSQL in {_dir} did not turn SSL on.\n--- server log ---\n{File.ReadAllText(LogPath)}", e);
        }
    }

    /// <summary>Replaces a <see cref="StartPrivate"/> server's pg_hba.conf with these lines; the Unix socket stays open to the tests.</summary>
    public void SetAccessRules(params string[] lines)
    {
        EnsureControllable();
        using (var admin = new NpgsqlConnection(Unpooled(AdminConnectionString)))
        {
            admin.Open();
            using var hba = new NpgsqlCommand("SHOW hba_file", admin);
            WriteAsServer(admin, (string)hba.ExecuteScalar()!, string.Join('\n', ["local all all trust", .. lines]));
        }
        Reload();
        NpgsqlConnection.ClearAllPools();
    }

    // COPY writes one line per row; PEM and pg_hba.conf lines hold no tab or backslash that it would escape.
    private static void WriteAsServer(NpgsqlConnection admin, string path, string text) =>
        Execute(admin, $"COPY (SELECT line FROM unnest(string_to_array('{text.Replace("'", "''", StringComparison.Ordinal)}', E'\\n')) WITH ORDINALITY AS l(line, n) ORDER BY n) TO '{path}'");

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    // pg_reload_conf only signals the server: it has read the files once a new session reports a later load time.
    private void Reload()
    {
        var admin = Unpooled(AdminConnectionString);
        DateTime before;
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var loaded = new NpgsqlCommand("SELECT pg_conf_load_time()", connection);
            before = (DateTime)loaded.ExecuteScalar()!;
            Execute(connection, "SELECT pg_reload_conf()");
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(admin);
                connection.Open();
                using var loaded = new NpgsqlCommand("SELECT pg_conf_load_time()", connection);
                if ((DateTime)loaded.ExecuteScalar()! > before)
                    return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline)
                throw new InvalidOperationException($"PostgreSQL in {_dir} did not reload its settings within 30 s.");
            Thread.Sleep(50);
        }
    }

    /// <summary>Tears down a <see cref="StartPrivate"/> server; the shared one lives until the process exits.</summary>
    public void Dispose()
    {
        // Other tests are still using the shared server; its watchdog removes it after the process exits.
        if (!_isShared)
            Destroy();
    }

    private void Destroy()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _running = false;
            BestEffort(() =>
            {
                var data = Path.Combine(_dir!, "data");
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                    PgCtl("-m", "immediate", "stop");
                Directory.Delete(_dir!, recursive: true);
            });
        }
    }

    private static PostgresServer CreateShared()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(external))
            return StartLocal(isShared: true);

        // Keep the user's settings, but only the ones Npgsql understands, so a typo fails here rather than in a test.
        var admin = new NpgsqlConnectionStringBuilder(external).ConnectionString;
        return new PostgresServer(admin, binDir: null, dir: null, isShared: true);
    }

    private static PostgresServer StartLocal(bool isShared, int? smallDiskKilobytes = null)
    {
        var binDir = FindBinDir();

        var dir = RunAsPostgres("mktemp", "-d", Path.Combine("/tmp", DirPrefix + "XXXXXX")).Trim();
        StartWatchdog(binDir, dir);
        var port = FreePort();
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            IncludeErrorDetail = true,
        }.ConnectionString;
        var server = new PostgresServer(admin, binDir, dir, isShared, smallDiskKilobytes);
        try
        {
            var data = Path.Combine(dir, "data");
            // --no-sync: a throwaway cluster need not survive a power cut, and it saves most of initdb's time.
            RunAsPostgres(Path.Combine(binDir, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
            File.AppendAllText(Path.Combine(data, "postgresql.conf"), string.Create(CultureInfo.InvariantCulture, $"""

                listen_addresses = '127.0.0.1'
                port = {port}
                unix_socket_directories = '{dir}'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                # Every test database gets its own Npgsql pool, and idle pooled connections linger for minutes:
                # sampled every 2 s, a full run peaked at 221 client sessions, and one run on a slower machine saw a
                # report fail with a database error (exit 4) where 300 was the limit.
                max_connections = 1000

                """));
            if (smallDiskKilobytes is not null)
                RunAsPostgres("mkdir", server.SmallDiskFolder);
            server.StartCluster();
            return server;
        }
        catch
        {
            server.Destroy();
            throw;
        }
    }

    private void StartCluster()
    {
        try
        {
            if (_smallDiskKilobytes is { } kilobytes)
                StartOnSmallDisk(kilobytes);
            else
                PgCtl("-l", LogPath, "-t", "60", "start");
            _running = true;
        }
        catch (InvalidOperationException e)
        {
            var log = File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log file was written)";
            throw new InvalidOperationException($"PostgreSQL in {_dir} did not start.\n{e.Message}\n--- server log ---\n{log}", e);
        }
    }

    private string LogPath => Path.Combine(_dir!, "server.log");

    // The postmaster inherits the mount namespace it was started in, and keeps it (and the tmpfs) alive until it exits.
    // Root mounts and hands the disk to the postgres user; a user without root mounts in a user namespace of its own,
    // then maps itself back to its own id for pg_ctl, since PostgreSQL refuses to run as root, even a namespace's.
    private void StartOnSmallDisk(int kilobytes)
    {
        const string Mount = """
            mount -t tmpfs -o size="$1"k llmlog-small-disk "$2" || exit 99
            if [ -n "$3" ]; then chown "$3" "$2" || exit 99; fi
            shift 3
            exec "$@"
            """;
        string[] pgCtl = [Path.Combine(_binDir!, "pg_ctl"), "-D", Path.Combine(_dir!, "data"), "-w", "-s", "-l", LogPath, "-t", "60", "start"];
        var size = kilobytes.ToString(CultureInfo.InvariantCulture);
        if (Environment.IsPrivilegedProcess)
        {
            Run("unshare", ["--mount", "--propagation", "private", "--", "sh", "-c", Mount, "sh", size, SmallDiskFolder, "postgres", "runuser", "-u", "postgres", "--", .. pgCtl]);
            return;
        }
        const string Unprivileged = """
            mount=$0 size=$1 dir=$2; shift 3
            exec unshare --map-root-user --mount -- sh -c "$mount" sh "$size" "$dir" "" unshare --map-user="$(id -u)" --map-group="$(id -g)" -- "$@"
            """;
        Run("sh", ["-c", Unprivileged, Mount, size, SmallDiskFolder, "", .. pgCtl]);
    }

    private void PgCtl(params string[] args) =>
        RunAsPostgres(Path.Combine(_binDir!, "pg_ctl"), ["-D", Path.Combine(_dir!, "data"), "-w", "-s", .. args]);

    private void EnsureControllable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsExternal)
            throw new InvalidOperationException($"The server named by {EnvironmentVariable} cannot be stopped or started by tests; use PostgresServer.StartPrivate().");
        if (_isShared)
            throw new InvalidOperationException("The shared server is used by tests running in parallel; stop and start your own from PostgresServer.StartPrivate().");
    }

    // Cleanup must not fail a test or hide the results of a run.
    private static void BestEffort(Action cleanup)
    {
        try
        {
            cleanup();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or NpgsqlException)
        {
            Console.Error.WriteLine($"PostgresServer cleanup: {e.Message}");
        }
    }

    private void DropDatabases()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Unpooled(AdminConnectionString));
        connection.Open();
        foreach (var name in _databases)
        {
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
    }

    private static string FindBinDir()
    {
        const string Root = "/usr/lib/postgresql";
        var binDir = (Directory.Exists(Root) ? Directory.GetDirectories(Root) : [])
            .Select(dir => (dir, version: decimal.TryParse(Path.GetFileName(dir), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(x => x.version >= 0 && File.Exists(Path.Combine(x.dir, "bin", "initdb")) && File.Exists(Path.Combine(x.dir, "bin", "pg_ctl")))
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"))
            .FirstOrDefault();
        if (binDir is not null)
            return binDir;

        const string Install = "Install the server binaries (Debian/Ubuntu: apt-get install postgresql)";
        throw new InvalidOperationException(string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable))
            ? $"Tests need a real PostgreSQL server, and none was found: no {Root}/<version>/bin/initdb on this machine and {EnvironmentVariable} is not set. "
                + $"{Install}, or set {EnvironmentVariable} to an Npgsql connection string of a server where the user may CREATE DATABASE, "
                + "e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Password=secret\"."
            : $"This test stops and restarts PostgreSQL, which it cannot do to the server named by {EnvironmentVariable}, "
                + $"so it needs a local cluster, and there is no {Root}/<version>/bin/initdb on this machine. {Install}.");
    }

    // vstest kills the test process 100 ms after the run, before a ProcessExit handler could stop PostgreSQL, and a
    // crashed or killed run never gets there at all; a detached shell outlives it and cleans up once it is gone.
    private static void StartWatchdog(string binDir, string dir)
    {
        const string Script = """
            exec </dev/null >/dev/null 2>&1
            while [ -d "/proc/$0" ]; do
                [ -d "$1" ] || exit 0
                sleep 1
            done
            "$2" -D "$1/data" -m immediate -w -s stop
            rm -rf "$1"
            """;
        RunAsPostgres("setsid", "-f", "sh", "-c", Script, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), dir, Path.Combine(binDir, "pg_ctl"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    // initdb and postgres refuse to run as root, so root (as on CI) runs them as the postgres OS user.
    private static string RunAsPostgres(string file, params string[] args) =>
        Environment.IsPrivilegedProcess ? Run("runuser", ["-u", "postgres", "--", file, .. args]) : Run(file, args);

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo
        {
            FileName = file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The postgres user may not be allowed into the test's working directory.
            WorkingDirectory = "/tmp",
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} did not finish within 120 s.");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{stdout.Result}{stderr.Result}");
        return stdout.Result;
    }
}
