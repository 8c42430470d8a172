namespace LlmLog.Tests;

/// <summary>Which name a mistyped one most likely meant, for "did you mean ...?".</summary>
public sealed class SpellingTests
{
    private static readonly string[] Names = ["gpt-4o", "gpt-4o-mini", "gpt-4o-2024-11-20", "o1", "o3-mini", "Europe/Berlin", "Europe/Bern"];

    [Theory]
    [InlineData("GPT-4O", "gpt-4o")]
    [InlineData("gpt-4o-mni", "gpt-4o-mini")]
    [InlineData("europe/berlim", "Europe/Berlin")]
    [InlineData("O1", "o1")]
    public void ANameInAnotherCaseOrWithATypoIsFound(string typed, string meant)
    {
        Spelling.Nearest(typed, Names).Should().Be(meant);
    }

    [Theory]
    [InlineData("gpt-5")]
    [InlineData("o2")]
    [InlineData("claude")]
    [InlineData("Europe/Berin")]
    public void ANameThatIsNoTypoOfOneOrIsAsNearToTwoFindsNone(string typed)
    {
        // gpt-5 is two edits from gpt-4o, more than a five-letter name allows; Europe/Berin is one from Berlin and from Bern.
        Spelling.Nearest(typed, Names).Should().BeNull();
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("postgres", "postgres", 0)]
    [InlineData("postgersql", "postgresql", 1)] // two neighbouring letters swapped are one slip of the hand
    [InlineData("ingets", "ingest", 1)]
    [InlineData("abc", "ca", 3)]
    public void TheDistanceCountsSingleLetterEdits(string a, string b, int edits)
    {
        Spelling.Distance(a, b).Should().Be(edits);
    }
}
