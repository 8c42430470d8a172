using LlmLog.Export;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>A selection that matches nothing is an empty export, said so, not a failure.</summary>
public sealed class EmptySelectionTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AnEmptySelectionWritesAHeaderOnlyCsvAndAManifestWithNoRows(Engine engine)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(engine);
        var csv = w.Files.Combine("none.csv");

        var result = ExportFixtures.Export(w, "calls", csv, from: new DateOnly(2030, 1, 1));

        result.Rows.Should().Be(0);
        File.ReadAllText(csv).Should().Be(string.Join(',', ExportTable.Named("calls").Columns.Select(c => c.Name)) + "\n");
        File.ReadAllText(result.ManifestPath!).Should().Contain("\"row_count\": 0");
    }

    [Fact]
    public async Task AWarehouseWithoutCallsExportsHeadersForEveryTable()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        w.Open().Dispose();

        foreach (var table in ExportTable.All)
        {
            var csv = w.Files.Combine(table.Name + ".csv");
            ExportFixtures.Export(w, table.Name, csv).Rows.Should().Be(0);
            File.ReadAllText(csv).Should().Be(string.Join(',', table.Columns.Select(c => c.Name)) + "\n");
        }
    }

    [Fact]
    public async Task TheCommandSaysTheSelectionWasEmptyAndSucceeds()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--from", "2030-01-01", "--db", w.DbArgument, "--out", "daily.csv");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("No rows of daily match the selection").And.Contain("header-only CSV");
        File.ReadAllLines(w.Files.Combine("daily.csv")).Should().HaveCount(1);
    }

    // An export of a mistyped --model wrote a header-only file, said only that no rows matched, and exited 0.
    [Theory]
    [InlineData("GPT-4O-2024-11-20", "; did you mean gpt-4o-2024-11-20?")]
    [InlineData("gpt-5", "; the warehouse's models, most calls first: gpt-4o-2024-11-20, ")]
    public async Task AnEmptyExportOfAModelTheWarehouseDoesNotHaveNamesTheModelsItHas(string model, string hint)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--model", model, "--db", w.DbArgument, "--out", "calls.csv");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("No rows of calls match the selection; wrote a header-only CSV (calls.csv) and the manifest" + hint);
    }

    [Fact]
    public async Task AMissingDuckDbFileIsNoDataNotAnEmptyExport()
    {
        using var folder = new TempFolder();

        var run = await LlmLogProcess.RunAsync(folder.Path, "export", "--table", "calls", "--db", folder.Combine("nothing.duckdb"));

        run.ExitCode.Should().Be((int)ExitCode.NoData, run.Stderr);
        File.Exists(folder.Combine("nothing.duckdb")).Should().BeFalse("an export never creates a warehouse");
    }
}
