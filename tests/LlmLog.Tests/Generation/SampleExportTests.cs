using System.Text;
using LlmLog.Generation;

namespace LlmLog.Tests.Generation;

public class SampleExportTests
{
    /// <summary>The options data/sample-export.json was written with.</summary>
    public static readonly CallLogGeneratorOptions SampleOptions = new()
    {
        Count = 1_000,
        Seed = 42,
        Days = 14,
        BadRate = 0.02,
        Format = CallLogFormat.Export,
    };

    [Fact]
    public void SampleFileMatchesTheGenerator()
    {
        var path = GeneratedRecords.RepositoryFile("data/sample-export.json");
        var expected = Encoding.UTF8.GetString(GeneratedRecords.Bytes(SampleOptions));

        // Rewrite the sample deliberately, after changing the generator: LLMLOG_REGENERATE_SAMPLE=1 dotnet test
        if (Environment.GetEnvironmentVariable("LLMLOG_REGENERATE_SAMPLE") == "1")
            File.WriteAllText(path, expected);

        // Compare as text so a checkout with CRLF line endings does not fail the test.
        File.ReadAllText(path).ReplaceLineEndings("\n").Should().Be(expected,
            "data/sample-export.json must be what the generator writes; regenerate it with LLMLOG_REGENERATE_SAMPLE=1");
    }
}
