using System.Text.Json.Nodes;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Reliability;

/// <summary>Values reach SQL only as parameters, and passwords never reach a log, an error or an output.</summary>
public class SecurityTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    private static readonly string[] HostileNames =
    [
        "x'); DROP TABLE calls; --",
        "$$; DROP TABLE calls; $$",
        "$q$ DELETE FROM ingest_runs $q$",
        "Robert\"); DELETE FROM rejects; --",
        "\\'; TRUNCATE calls; --",
        "E'\\x00' || chr(39)",
        "gpt-4o-2024-11-20'/**/OR/**/'1'='1",
        // A joiner inside an emoji sequence is kept; other invisible characters, a joiner between ASCII letters among them,
        // and direction controls (U+202E) are rejected (CallRecordValidatorTests).
        "{0} %s %n \U0001F468\u200D\U0001F469gnp.exe",
    ];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task SqlInModelNamesAndOtherTextIsStoredVerbatimAndTheTablesSurvive(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var records = HostileNames.Select((name, i) =>
        {
            var call = Some.Call(created: $"2024-12-18 10:00:{i:00}", model: name);
            call["type"] = name;
            call["id"] = name + "#" + i;
            return (JsonNode?)call;
        }).ToList();
        records.Add(JsonNode.Parse("""{"created": "'); DROP TABLE rejects; --", "model": "$$ x $$"}"""));
        var file = w.Files.File("hostile.json", Some.Export(records));

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        w.Query<string>("SELECT model FROM calls").Should().BeEquivalentTo(HostileNames);
        w.Query<string>("SELECT request_type FROM calls").Should().BeEquivalentTo(HostileNames);
        w.Query<string>("SELECT record_id FROM calls").Should().BeEquivalentTo(HostileNames.Select((n, i) => n + "#" + i));
        w.Scalar<string>("SELECT reason FROM rejects").Should().Contain("\"'); DROP TABLE rejects; --\" is not a timestamp");
        w.Scalar<long>("SELECT count(*) FROM ingest_runs").Should().Be(1);
        // A second run finds everything where it was: a re-read of the file only counts duplicates, the reject's too.
        var again = await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument, "--force", "--json");
        ((long)JsonNode.Parse(again.Stdout)!["duplicates"]!).Should().Be(HostileNames.Length + 1);
    }

    [Fact]
    public async Task APasswordGivenAnyWayIsMaskedInTextLogsJsonLogsAndJsonOutputOfASuccessfulRun()
    {
        // The suite's server trusts local logins, so a run with a password in its target succeeds and logs as much as it can.
        var db = new NpgsqlConnectionStringBuilder(await PostgresServer.Shared.CreateDatabaseAsync()) { Password = "pw-Zq81-secret" };
        var uri = $"postgresql://{db.Username}:pw-Zq81-secret@{db.Host}:{db.Port}/{db.Database}";
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call(), JsonNode.Parse("""{"model": "bad"}""")]));

        var runs = new[]
        {
            await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", db.ConnectionString, "--json", "--log-level", "debug"),
            await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", uri, "--force", "--log-format", "json", "--log-level", "debug"),
            await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["LLMLOG_DB"] = uri }),
                "ingest", file, "--force", "--json", "--log-format", "json", "--log-level", "debug"),
        };

        foreach (var run in runs)
        {
            run.ExitCode.Should().Be(0, run.Stderr);
            (run.Stdout + run.Stderr).Should().NotContain("pw-Zq81-secret").And.Contain(db.Database!);
        }
    }

    [Fact]
    public async Task APasswordIsMaskedInTheErrorOfAFailedRunWhateverTheLogFormatAndWhereverItCameFrom()
    {
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call()]));
        const string Uri = "postgresql://alice:pw-Yx55-secret@127.0.0.1:1/warehouse";

        var runs = new[]
        {
            await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", Uri, "--log-format", "json", "--json"),
            await LlmLogProcess.RunAsync(dir.Path, new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["LLMLOG_DB"] = Uri }), "ingest", file),
            await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", "Host=127.0.0.1;Port=1;Password=pw-Yx55-secret;Username=alice;Database=w", "--log-format", "json"),
            await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", "postgresql://alice:pw-Yx55-secret@[bad host/w"),
            await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--db", "Host=127.0.0.1;Password=pw-Yx55-secret;Bogus Key=1"),
        };

        foreach (var run in runs)
        {
            run.ExitCode.Should().BeOneOf([(int)ExitCode.Unreachable, (int)ExitCode.Usage], run.Stderr);
            (run.Stdout + run.Stderr).Should().NotContain("pw-Yx55-secret").And.NotContain("   at ");
            run.Stderr.Should().NotBeEmpty();
        }
    }

    // A mistyped target was taken for a DuckDB path and printed whole: in the error, the JSON log and ingest --json.
    [Theory]
    [InlineData("postgresql:/etl:pw-Kq19-secret@db.example:5432/wh")]
    [InlineData("postgresq://etl:pw-Kq19-secret@db.example/wh")]
    [InlineData("postgres:pw-Kq19-secret@127.0.0.1")]
    [InlineData("POSTGRES:/etl:pw-Kq19-secret@db/wh")]
    [InlineData("etl:pw-Kq19-secret@db.example/wh")]
    [InlineData("postgresql://etl:a@pw-Kq19-secret@127.0.0.1:1/wh")]
    [InlineData("postgresql://etl:pw-Kq19/secret@127.0.0.1:1/wh")]
    [InlineData("host=127.0.0.1 port=x user=etl password='pw-Kq19-secret'")]
    [InlineData("Host=127.0.0.1,Port=1,Password=pw-Kq19-secret")]
    public async Task APasswordInAMistypedTargetNeverAppearsInAnyOutputAndNoFileIsCreated(string db)
    {
        using var dir = new TempFolder();
        var file = dir.File("export.json", Some.Export([Some.Call()]));
        var fromEnvironment = new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["LLMLOG_DB"] = db });

        var runs = new[]
        {
            await LlmLogProcess.RunAsync(dir.Path, "summary", "--db", db),
            await LlmLogProcess.RunAsync(dir.Path, "ingest", file, "--json", "--log-format", "json", "--db", db),
            await LlmLogProcess.RunAsync(dir.Path, fromEnvironment, "report", "--log-format", "json"),
            await LlmLogProcess.RunAsync(dir.Path, fromEnvironment, "ingest", file),
        };

        foreach (var run in runs)
        {
            run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
            (run.Stdout + run.Stderr).Should().NotContain("pw-Kq19").And.NotContain("secret").And.NotContain("   at ");
        }
        Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Should().Equal(file);
    }
}
