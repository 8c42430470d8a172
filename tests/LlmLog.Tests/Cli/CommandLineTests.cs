using LlmLog.Tests.Support;
using LlmLog.Tests.Transform;

namespace LlmLog.Tests.Cli;

/// <summary>transform and summary end to end, as the real executable a user or a scheduler runs.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task IngestThenSummaryCsvPrintsTheContract()
    {
        using var folder = TransformFixtures.Folder();
        var db = folder.Combine("cli.duckdb");
        var prices = folder.File("prices.csv", TransformFixtures.TestPrices);
        var files = TransformFixtures.HandWorkedFiles().Select(f => folder.File(f.Name, string.Join('\n', f.Lines) + "\n")).ToArray();

        (await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--db", db)).ExitCode.Should().Be(0);
        (await LlmLogProcess.RunAsync(folder.Path, ["ingest", .. files, "--db", db])).ExitCode.Should().Be(0);
        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--format", "csv", "--db", db);

        summary.ExitCode.Should().Be(0, summary.Stderr);
        SummarySnapshotTests.ShouldMatchCsv(summary.Stdout, File.ReadAllText(Path.Combine(ExpectedFolder(), "summary-handworked.csv")));
    }

    [Fact]
    public async Task SummaryOfADatabaseThatDoesNotExistExitsWithNoDataAndCreatesNothing()
    {
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", folder.Combine("missing.duckdb"));

        result.ExitCode.Should().Be((int)ExitCode.NoData);
        result.Stderr.Should().Contain("llmlog ingest");
        File.Exists(folder.Combine("missing.duckdb")).Should().BeFalse("a summary does not create a warehouse");
    }

    [Fact]
    public async Task AnUnknownFormatOrTimeZoneIsAUsageError()
    {
        using var folder = TransformFixtures.Folder();

        (await LlmLogProcess.RunAsync(folder.Path, "summary", "--format", "xml")).ExitCode.Should().Be((int)ExitCode.Usage);
        (await LlmLogProcess.RunAsync(folder.Path, "summary", "--timezone", "Nowhere/Special")).ExitCode.Should().Be((int)ExitCode.Usage);
    }

    [Fact]
    public async Task ABadPriceTableExitsWithAnInputErrorNamingTheLineAndField()
    {
        using var folder = TransformFixtures.Folder();
        var prices = folder.File("prices.csv", PriceHeader + "\ngpt-4o,exact,1,,two,2024-01-01,,x\n");

        var result = await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--db", folder.Combine("w.duckdb"));

        result.ExitCode.Should().Be((int)ExitCode.InputError);
        result.Stderr.Should().Contain("line 2, output_per_1m_usd: is 'two'");
    }

    [Fact]
    public async Task GenerateIntoAMissingFolderOrAFolderIsAUsageErrorNotAnInternalOne()
    {
        using var folder = TransformFixtures.Folder();

        var missing = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "--out", Path.Combine(folder.Path, "no-such-folder", "calls.jsonl"));
        var aFolder = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "--out", folder.Path);

        missing.ExitCode.Should().Be((int)ExitCode.Usage, missing.Stderr);
        missing.Stderr.Should().Contain("no-such-folder").And.Contain("does not exist");
        aFolder.ExitCode.Should().Be((int)ExitCode.Usage, aFolder.Stderr);
        aFolder.Stderr.Should().Contain("is a folder");
    }

    [Theory]
    [InlineData("--days", "0", "--days must be between 1 and 3660")]
    [InlineData("--bad-rate", "0.7", "--bad-rate must be between 0 and 0.5")]
    [InlineData("--days", "3660", "--days 3660 up to 2025-02-28 would start on 2015-02-22, before the first generated model (2023-01-01)")]
    public async Task GenerateNamesTheOptionThatIsOutOfRange(string option, string value, string expected)
    {
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", option, value, "--out", folder.Combine("g.jsonl"));

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().Contain(expected).And.NotContain("Parameter");
    }

    [Fact]
    public async Task GenerateOntoAFullDiskIsAWriteErrorNamingTheFile()
    {
        // /dev/full refuses every write with "No space left on device", as a full disk does.
        if (!File.Exists("/dev/full")) return;
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "1000", "--out", "/dev/full");

        result.ExitCode.Should().Be((int)ExitCode.InputError, result.Stderr);
        result.Stderr.Should().Contain("cannot write /dev/full").And.NotContain("Internal error");
    }

    private const string PriceHeader = "model_match,match_type,input_per_1m_usd,cached_input_per_1m_usd,output_per_1m_usd,valid_from,valid_to,source";

    private static string ExpectedFolder([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Expected");
}
