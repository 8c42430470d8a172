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

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Parquet)]
    public async Task AnEmptyPartitionedExportIntoFoldersNotYetMadeMakesThemAndSucceeds(ExportFormat format)
    {
        // README's nightly job (--from yesterday --to yesterday --partition-by day --out lake/calls) failed with exit 3
        // on a quiet first night: nothing made lake/ for the schema files and the manifest (found by probing the docs).
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var root = w.Files.Combine("lake/calls");

        var result = ExportFixtures.Export(w, "calls", root, format, partition: true, from: new DateOnly(2030, 1, 1), to: new DateOnly(2030, 1, 1));

        result.Rows.Should().Be(0);
        Directory.EnumerateFileSystemEntries(root).Should().BeEmpty("the tree is there, with no day in it");
        File.ReadAllText(w.Files.Combine("lake/calls.manifest.json")).Should().Contain("\"row_count\": 0");
        File.Exists(w.Files.Combine("lake/calls.sql")).Should().BeTrue();
        ExportFixtures.Export(w, "calls", root, format, partition: true).Rows.Should().BePositive("the next night's export fills the same tree");
    }

    // Bug: the quiet night's tree export said it "wrote no partition files (lake/calls) and the manifest", which reads as
    // neither, where the manifest is written (found by probing the CLI).
    [Fact]
    public async Task AnEmptyTreeExportSaysItWroteTheManifest()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--from", "2030-01-01", "--to", "2030-01-01",
            "--db", w.DbArgument, "--out", "lake/calls");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("No rows of calls match the selection; wrote no partition files (lake/calls); wrote the manifest (")
            .And.Contain("/lake/calls.manifest.json)");
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

    // Bug: to standard output, an export of a mistyped --model said only "Exported 0 rows" at information level, where
    // to a file it warns and names the model meant (found by probing the CLI).
    [Fact]
    public async Task AnEmptyExportToStandardOutputWarnsAndNamesTheModelMeant()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--model", "GPT-4O-2024-11-20", "--db", w.DbArgument, "--out", "-");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle("the header alone");
        run.Stderr.Should().Contain("WRN No rows of calls match the selection; wrote a header-only CSV to standard output (no schema files or manifest: they go beside a file); did you mean gpt-4o-2024-11-20?");
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
