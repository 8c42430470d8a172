using System.Text;
using LlmLog.Loading;
using LlmLog.Tests.Generation;
using LlmLog.Tests.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>
/// The CSV of each table for a small fixture, with a fixed clock, byte for byte against the files in
/// <c>Export/Expected/</c>. Set LLMLOG_ACCEPT_EXPECTED=1 to rewrite them after a deliberate change, then read the diff.
/// </summary>
[Collection(nameof(FrozenClock))]
public sealed class ExpectedOutputTests
{
    private static readonly DateTime FixedNow = new(2024, 12, 20, 6, 30, 0, DateTimeKind.Utc);

    private static readonly string[] Fixture =
    [
        TransformFixtures.Call("2024-12-13 09:00:00", prompt: 100, completion: 50, tokens: 150, latency: 2.5, ttft: 0.5),
        TransformFixtures.Call("2024-12-13 23:30:00", model: "acme, \"quoted\" model", type: "json_schema", prompt: 10, completion: 5, tokens: 15, temperature: 0.1),
        TransformFixtures.Call("2024-12-14 08:00:00", model: "gpt-4o-mini", stream: true, temperature: null, latency: 3.25, ttft: 0.125),
        TransformFixtures.Call("2024-12-14 12:00:00", maxTokens: 50, prompt: 1000, completion: 50, tokens: 1050, cost: 0.01),
        TransformFixtures.Call("2024-12-14 12:30:00", model: "=HYPERLINK(\"x\")", type: "", maxTokens: null, prompt: 7, completion: 3, tokens: 10),
        """{"model": "no created field"}""",
    ];

    [Theory]
    [InlineData("calls")]
    [InlineData("daily")]
    [InlineData("daily-model")]
    [InlineData("hourly")]
    [InlineData("rejects")]
    [InlineData("runs")]
    public void CsvMatchesTheExpectedFile(string table)
    {
        using var folder = TransformFixtures.Folder();
        using (Clock.Freeze(FixedNow))
        {
            var target = DatabaseTarget.Parse(Path.Combine(folder.Path, "expected.duckdb"));
            TransformFixtures.LoadPrices(target, folder);
            using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', Fixture) + "\n"));
            IngestRunner.Run(target, ["-"], ExportFixtures.Ingest, standardInput: stdin);
            var csv = Path.Combine(folder.Path, table + ".csv");
            LlmLog.Export.Exporter.Run(target, new LlmLog.Export.ExportRequest { Table = LlmLog.Export.ExportTable.Named(table), Out = csv });

            var expectedPath = GeneratedRecords.RepositoryFile(Path.Combine("tests", "LlmLog.Tests", "Export", "Expected", table + ".csv"));
            // Each build names its commit in the runs it records (ToolInfo.Version).
            var actual = File.ReadAllText(csv, Encoding.UTF8).Replace(ToolInfo.Version, "<version>", StringComparison.Ordinal);
            if (Environment.GetEnvironmentVariable("LLMLOG_ACCEPT_EXPECTED") == "1") File.WriteAllText(expectedPath, actual, new UTF8Encoding(false));

            actual.Should().Be(File.ReadAllText(expectedPath, Encoding.UTF8));
        }
    }
}

/// <summary>Tests that freeze the process-wide clock; nothing else may run while it is frozen.</summary>
[CollectionDefinition(nameof(FrozenClock), DisableParallelization = true)]
public sealed class FrozenClock;
