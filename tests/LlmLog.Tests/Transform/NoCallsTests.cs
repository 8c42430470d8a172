using LlmLog.Transform;

namespace LlmLog.Tests.Transform;

/// <summary>What summary and report add when --model matched no call.</summary>
public sealed class NoCallsTests
{
    private static readonly NoCalls.KnownModel[] Known =
    [
        new("gpt-4o-2024-11-20", "gpt-4o", 409),
        new("gpt-4o-mini-2024-07-18", "gpt-4o-mini", 153),
        new("claude-3-5-sonnet-20241022", "claude-3-5-sonnet", 111),
        new("gpt-4o-2024-08-06", "gpt-4o", 102),
        new("claude-3-5-haiku-20241022", "claude-3-5-haiku", 56),
        new("o3-mini-2025-01-31", "o3-mini", 45),
        new("o1-2024-12-17", "o1", 40),
        new("acme-llm", null, 13),
    ];

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void NoModelAddsNothingAndReadsNoModels(string? model)
    {
        NoCalls.ModelHint(model, () => throw new InvalidOperationException("read the models")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4o-2024-08-06")]
    [InlineData("acme-llm")]
    public void AModelOrFamilyTheWarehouseHasAddsNothingTheDatesLeftItOut(string model)
    {
        NoCalls.ModelHint(model, () => Known).Should().BeEmpty();
    }

    [Theory]
    [InlineData("GPT-4o", "; did you mean gpt-4o?")]
    [InlineData("GPT-4O-2024-11-20", "; did you mean gpt-4o-2024-11-20?")]
    [InlineData("ACME-LLM", "; did you mean acme-llm?")]
    [InlineData("gpt-4o-mni", "; did you mean gpt-4o-mini?")]
    [InlineData("claude-3-5-sonet", "; did you mean claude-3-5-sonnet?")]
    public void AModelInAnotherCaseOrWithATypoIsNamedAsTheWarehouseSpellsIt(string model, string hint)
    {
        NoCalls.ModelHint(model, () => Known).Should().Be(hint);
    }

    [Fact]
    public void AnUnknownModelListsTheMostUsedModelsAndCountsTheRest()
    {
        NoCalls.ModelHint("gpt-5", () => Known).Should().Be("; the warehouse's models, most calls first: gpt-4o-2024-11-20, gpt-4o-mini-2024-07-18, " +
            "claude-3-5-sonnet-20241022, gpt-4o-2024-08-06, claude-3-5-haiku-20241022, o3-mini-2025-01-31 and 2 more");
        NoCalls.ModelHint("gpt-5", () => Known[..2]).Should().Be("; the warehouse's models: gpt-4o-2024-11-20, gpt-4o-mini-2024-07-18");
        NoCalls.ModelHint("gpt-5", () => []).Should().BeEmpty();
    }
}
