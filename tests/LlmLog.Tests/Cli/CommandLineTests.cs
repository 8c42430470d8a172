using LlmLog.Cli;
using LlmLog.Tests.Transform;

namespace LlmLog.Tests.Cli;

/// <summary>Tests that swap the process's standard output; they must not run beside each other.</summary>
[CollectionDefinition(nameof(ConsoleOutput), DisableParallelization = true)]
public sealed class ConsoleOutput;

/// <summary>The commands end to end, as a user or a scheduler runs them.</summary>
[Collection(nameof(ConsoleOutput))]
public sealed class CommandLineTests
{
    [Fact]
    public void IngestThenSummaryCsvPrintsTheContract()
    {
        using var folder = TransformFixtures.Folder();
        var db = Path.Combine(folder.Path, "cli.duckdb");
        var prices = folder.Write("prices.csv", TransformFixtures.TestPrices);
        var files = TransformFixtures.HandWorkedFiles().Select(f => folder.Write(f.Name, string.Join('\n', f.Lines) + "\n")).ToArray();

        Run(["transform", "--prices", prices, "--db", db]).Code.Should().Be(0);
        Run(["ingest", .. files, "--db", db]).Code.Should().Be(0);
        var (code, stdout) = Run(["summary", "--format", "csv", "--db", db]);

        code.Should().Be(0);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        lines[0].Should().StartWith("day,calls,streamed_calls,non_streamed_calls,").And.EndWith(",est_cost_usd,unpriced_calls");
        lines.Select(l => l[..10]).Skip(1).Should().Equal("2024-12-13", "2024-12-14", "2024-12-15");
    }

    [Fact]
    public void SummaryOfADatabaseThatDoesNotExistExitsWithNoData()
    {
        using var folder = TransformFixtures.Folder();

        Run(["summary", "--db", Path.Combine(folder.Path, "missing.duckdb")]).Code.Should().Be((int)ExitCode.NoData);
        File.Exists(Path.Combine(folder.Path, "missing.duckdb")).Should().BeFalse("a summary does not create a warehouse");
    }

    [Fact]
    public void AnUnknownFormatOrTimeZoneIsAUsageError()
    {
        Run(["summary", "--format", "xml"]).Code.Should().Be((int)ExitCode.Usage);
        Run(["summary", "--timezone", "Nowhere/Special"]).Code.Should().Be((int)ExitCode.Usage);
    }

    private static (int Code, string Stdout) Run(string[] args)
    {
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            return (LlmLogCli.Run(args), output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
