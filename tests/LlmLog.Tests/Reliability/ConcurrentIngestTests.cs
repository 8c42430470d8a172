using System.Globalization;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Reliability;

/// <summary>
/// Overlapping scheduled runs: two and four <c>llmlog ingest</c> processes over overlapping file sets at
/// once must all exit cleanly and leave exactly what the same commands leave when run one after another.
/// </summary>
public class ConcurrentIngestTests
{
    // Which file a call that two files share was loaded from depends on who got the lock first; nothing else may.
    private static readonly string[] Provenance = ["source_file", "record_number", "line_number", "byte_offset"];

    public static TheoryData<Engine, int> EnginesAndProcesses => new()
    {
        { Engine.DuckDb, 2 }, { Engine.DuckDb, 4 }, { Engine.Postgres, 2 }, { Engine.Postgres, 4 },
    };

    [Theory]
    [MemberData(nameof(EnginesAndProcesses))]
    public async Task OverlappingProcessesLeaveWhatTheSameCommandsLeaveOneAfterAnother(Engine engine, int processes)
    {
        using var concurrent = await TestWarehouse.CreateAsync(engine);
        var f = new[]
        {
            await Generate(concurrent.Files, "1.jsonl", seed: 21, "jsonl"),
            await Generate(concurrent.Files, "2.json", seed: 22, "export"),
            await Generate(concurrent.Files, "3.jsonl.gz", seed: 23, "jsonl"),
            await Generate(concurrent.Files, "4-same-calls-as-1.json", seed: 21, "export"),
        };
        // Every file is in two of the sets, so every call is offered to two processes at once.
        var sets = processes == 2
            ? new[] { new[] { f[0], f[1], f[2] }, new[] { f[2], f[3], f[1] } }
            : new[] { new[] { f[0], f[1] }, new[] { f[1], f[2] }, new[] { f[2], f[3] }, new[] { f[3], f[0] } };

        var runs = await Task.WhenAll(sets.Select(set =>
            LlmLogProcess.RunAsync(concurrent.Files.Path, ["ingest", .. set, "--db", concurrent.DbArgument, "--lock-timeout", "120"])));

        runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", runs.Select(r => r.Stderr)));
        runs.Should().OnlyContain(r => !r.Stderr.Contains("   at ", StringComparison.Ordinal));
        using var sequential = await TestWarehouse.CreateAsync(engine);
        foreach (var set in sets)
        {
            (await LlmLogProcess.RunAsync(sequential.Files.Path, ["ingest", .. set, "--db", sequential.DbArgument])).ExitCode.Should().Be(0);
        }
        WarehouseState.ShouldHaveNoPartialFile(concurrent);
        concurrent.Scalar<long>("SELECT count(*) FROM calls").Should().Be(sequential.Scalar<long>("SELECT count(*) FROM calls")).And.BePositive();
        WarehouseState.Of(concurrent, Provenance).Should().BeEquivalentTo(WarehouseState.Of(sequential, Provenance), o => o.WithStrictOrdering());
    }

    private static async Task<string> Generate(TempFolder dir, string name, int seed, string format)
    {
        var path = dir.Combine(name);
        var run = await LlmLogProcess.RunAsync(dir.Path, "generate", "3000", "--out", path, "--format", format,
            "--seed", seed.ToString(CultureInfo.InvariantCulture), "--days", "4", "--bad-rate", "0.02");
        run.ExitCode.Should().Be(0, run.Stderr);
        return path;
    }
}
