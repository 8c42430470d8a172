using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using LlmLog.Tests.Support;
using Npgsql;
using Xunit;

namespace LlmLog.Tests.Warehouse;

/// <summary>
/// A PostgreSQL server that offers SSL, as managed servers do: llmlog connects with the libpq settings that check its
/// certificate, and when a check or a certificate file fails it says which, with an exit code a scheduler need not retry.
/// </summary>
public sealed class PostgresSslTests(PostgresSslTests.SslServer ssl) : IClassFixture<PostgresSslTests.SslServer>
{
    /// <summary>One private cluster whose certificate, for the name localhost only, is signed by a test authority.</summary>
    public sealed class SslServer : IDisposable
    {
        public SslServer()
        {
            Folder = new TempFolder();
            using var authority = Authority("llmlog test authority");
            using var stranger = Authority("some other authority");
            AuthorityFile = Folder.File("root.crt", authority.ExportCertificatePem());
            OtherAuthorityFile = Folder.File("other-root.crt", stranger.ExportCertificatePem());
            NotACertificateFile = Folder.File("not-a-cert.crt", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

            Server = PostgresServer.StartPrivate();
            var (certificate, key) = ServerCertificate(authority, "localhost");
            Server.EnableSsl(certificate, key);
            Database = Server.CreateDatabaseAsync().GetAwaiter().GetResult();
        }

        public TempFolder Folder { get; }
        public PostgresServer Server { get; }
        public string Database { get; }
        public string AuthorityFile { get; }
        public string OtherAuthorityFile { get; }
        public string NotACertificateFile { get; }

        /// <summary>A libpq target of the test database on <paramref name="host"/>, with these settings added.</summary>
        public string Target(string host, string settings)
        {
            var b = new NpgsqlConnectionStringBuilder(Database);
            return $"host={host} port={b.Port} user={b.Username} dbname={b.Database} {settings}";
        }

        public void Dispose()
        {
            Server.Dispose();
            Folder.Dispose();
        }

        private static X509Certificate2 Authority(string name)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        }

        private static (string Certificate, string Key) ServerCertificate(X509Certificate2 authority, string dnsName)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(dnsName);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
            return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }
    }

    [Theory]
    [InlineData("localhost", "sslmode=verify-full")]
    [InlineData("localhost", "sslmode=verify-ca")]
    public async Task IngestConnectsWhenTheServersCertificatePassesTheCheckSslmodeAsksFor(string host, string mode)
    {
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call()]));

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", ssl.Target(host, $"{mode} sslrootcert={ssl.AuthorityFile}"), "--force");

        run.ExitCode.Should().Be(0, run.Stderr);
    }

    // A cron job on a host that exports PGSSLMODE=require for its remote databases could not reach the local one over
    // its Unix socket, which psql reaches: libpq uses no SSL there, Npgsql refused (found by probing scheduled runs).
    [Theory]
    [InlineData("sslmode=require", null)]
    [InlineData("", "require")]
    [InlineData("sslmode=verify-full", null)]
    public async Task OverAUnixSocketSslmodeIsLeftAsideAsPsqlLeavesIt(string settings, string? pgsslmode)
    {
        if (ssl.Server.SocketFolder is not { } socket) return; // a server named by LLMLOG_TEST_PG: no socket of ours
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call()]));
        var environment = pgsslmode is null ? null : new Dictionary<string, string> { ["PGSSLMODE"] = pgsslmode };

        var run = await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: environment), "ingest", file, "--db", ssl.Target(socket, settings), "--force");

        run.ExitCode.Should().Be(0, run.Stderr);
    }

    [Fact]
    public void OverTcpSslmodeStaysAsGiven()
    {
        var b = new NpgsqlConnectionStringBuilder(LlmLog.Warehouse.DatabaseTarget.Parse("host=db.example dbname=llm sslmode=require").ConnectionString);
        var socket = new NpgsqlConnectionStringBuilder(LlmLog.Warehouse.DatabaseTarget.Parse("host=/run/postgresql dbname=llm sslmode=require").ConnectionString);

        (b.SslMode, socket.SslMode).Should().Be((SslMode.Require, SslMode.Disable));
    }

    // Each was exit 4, "rerunning is safe", with "Exception while performing SSL handshake", "the connection to the
    // PostgreSQL server was lost" or (a missing client certificate) exit 1 and a stack trace: a scheduler retried a
    // setting that can only fail again, and nobody was told which file or check failed.
    [Theory]
    [InlineData("sslmode=verify-full sslrootcert={other}", "certificate was not accepted")]
    [InlineData("sslmode=verify-ca sslrootcert={other}", "certificate was not accepted")]
    [InlineData("sslmode=verify-full sslrootcert={missing}", "does not exist")]
    [InlineData("sslmode=verify-full sslrootcert={garbage}", "is not one")]
    [InlineData("sslmode=require sslcert={missing} sslkey={missing}", "does not exist")]
    public async Task ACertificateThatFailsItsCheckOrCannotBeReadIsAUsageErrorThatSaysWhich(string settings, string says)
    {
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call()]));
        var missing = Path.Combine(dir.Path, "no-such.crt");
        settings = settings.Replace("{other}", ssl.OtherAuthorityFile, StringComparison.Ordinal)
            .Replace("{missing}", missing, StringComparison.Ordinal)
            .Replace("{garbage}", ssl.NotACertificateFile, StringComparison.Ordinal);

        var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", ssl.Target("localhost", settings));

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain(says).And.Contain("sslrootcert").And.NotContain("   at ").And.NotContain("SSL handshake");
        if (says == "does not exist")
            run.Stderr.Should().Contain(missing);
    }

    [Fact]
    public async Task VerifyFullRefusesACertificateThatDoesNotNameTheHostWhereVerifyCaTakesIt()
    {
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call()]));

        // The same server by its address, which its certificate does not name.
        var full = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", ssl.Target("127.0.0.1", $"sslmode=verify-full sslrootcert={ssl.AuthorityFile}"));
        var ca = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", ssl.Target("127.0.0.1", $"sslmode=verify-ca sslrootcert={ssl.AuthorityFile}"), "--force");

        full.ExitCode.Should().Be((int)ExitCode.Usage, full.Stderr);
        full.Stderr.Should().Contain("must also name the host");
        ca.ExitCode.Should().Be(0, ca.Stderr);
    }

    // It said "the server refused the user name or password" of a login whose name and password were never the problem.
    [Fact]
    public async Task AServerThatTakesOnlySslConnectionsRefusesOneWithoutAndTheMessageQuotesItsRule()
    {
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call()]));
        ssl.Server.SetAccessRules("hostssl all all 127.0.0.1/32 trust");
        try
        {
            var run = await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", ssl.Target("127.0.0.1", "sslmode=disable"));

            run.ExitCode.Should().Be((int)ExitCode.LoginRefused, run.Stderr);
            run.Stderr.Should().Contain("no pg_hba.conf entry").And.Contain("no encryption").And.NotContain("user name or password");
        }
        finally
        {
            ssl.Server.SetAccessRules("host all all 127.0.0.1/32 trust");
        }
    }
}
