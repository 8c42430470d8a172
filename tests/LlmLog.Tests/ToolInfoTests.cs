using System.Reflection;

namespace LlmLog.Tests;

public class ToolInfoTests
{
    // Every build recorded itself as 0.1.0 in its runs, manifests and reports, so the runs an llmlog with a known defect
    // had loaded could not be told apart (found by probing).
    [Fact]
    public void TheRecordedVersionNamesTheCommitThisBuildWasMadeFrom()
    {
        var informational = typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        informational.Should().MatchRegex(@"\+[0-9a-f]{40}$", "the tests are built from a git clone, whose commit the SDK stamps");

        ToolInfo.Version.Should().Be(informational[..(informational.IndexOf('+', StringComparison.Ordinal) + 13)]);
    }

    [Theory]
    [InlineData("0.1.0+a0e5b35083df7e45fbf74178e4fe8ce601419160", "0.1.0+a0e5b35083df")]
    [InlineData("0.1.0+a0e5b35", "0.1.0+a0e5b35")]
    [InlineData("0.1.0", "0.1.0")]
    public void ACommitIsCutToTwelveCharactersAndAVersionWithoutOneIsKept(string informational, string recorded)
    {
        ToolInfo.Of(informational).Should().Be(recorded);
    }
}
