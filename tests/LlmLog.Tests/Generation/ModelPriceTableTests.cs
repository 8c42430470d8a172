using System.Globalization;
using LlmLog.Generation;

namespace LlmLog.Tests.Generation;

/// <summary>
/// Holds data/model-prices.csv and the generator together. Matching as read here: an exact row beats any prefix row,
/// the longest prefix wins, valid_from is inclusive and valid_to exclusive (empty means still valid).
/// </summary>
public class ModelPriceTableTests
{
    private const string Header =
        "model_match,match_type,input_per_1m_usd,cached_input_per_1m_usd,output_per_1m_usd,valid_from,valid_to,source";

    private sealed record PriceRow(string Match, string MatchType, decimal Input, decimal? CachedInput, decimal Output,
        DateOnly ValidFrom, DateOnly? ValidTo);

    private static readonly Lazy<List<PriceRow>> Rows = new(() =>
    {
        var lines = File.ReadAllLines(GeneratedRecords.RepositoryFile("data/model-prices.csv"));
        lines[0].Should().Be(Header);
        return lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            f.Should().HaveCount(8, "the source note must not contain commas: {0}", line);
            return new PriceRow(f[0], f[1], Money(f[2]), f[3] == "" ? null : Money(f[3]), Money(f[4]),
                DateOnly.ParseExact(f[5], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                f[6] == "" ? null : DateOnly.ParseExact(f[6], "yyyy-MM-dd", CultureInfo.InvariantCulture));
        }).ToList();
    });

    private static decimal Money(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static PriceRow? Resolve(string model, DateOnly day)
    {
        var valid = Rows.Value.Where(r => r.ValidFrom <= day && (r.ValidTo is null || day < r.ValidTo)).ToList();
        return valid.SingleOrDefault(r => r.MatchType == "exact" && r.Match == model)
            ?? valid.Where(r => r.MatchType == "prefix" && model.StartsWith(r.Match, StringComparison.Ordinal))
                .MaxBy(r => r.Match.Length);
    }

    [Fact]
    public void EveryRowIsWellFormed()
    {
        foreach (var row in Rows.Value)
        {
            row.MatchType.Should().BeOneOf("exact", "prefix");
            row.Input.Should().BePositive();
            row.Output.Should().BeGreaterThanOrEqualTo(row.Input);
            if (row.CachedInput is { } cached)
                cached.Should().BeLessThan(row.Input);
            if (row.ValidTo is { } validTo)
                validTo.Should().BeAfter(row.ValidFrom);
        }
    }

    [Fact]
    public void PeriodsOfTheSameMatchNeverOverlap()
    {
        foreach (var group in Rows.Value.GroupBy(r => (r.Match, r.MatchType)))
        {
            var periods = group.OrderBy(r => r.ValidFrom).ToList();
            for (var i = 1; i < periods.Count; i++)
                periods[i - 1].ValidTo.Should().NotBeNull().And.Subject.Should().BeOnOrBefore(periods[i].ValidFrom, group.Key.Match);
        }
    }

    [Fact]
    public void EveryGeneratedModelIsPricedAsTheGeneratorPricesItOnEveryDayItExists()
    {
        foreach (var model in GeneratedModels.All.Where(m => m.Name != GeneratedModels.Unpriced))
        {
            for (var day = model.AvailableFrom; day <= new DateOnly(2026, 1, 1); day = day.AddDays(1))
            {
                var row = Resolve(model.Name, day);
                var expected = model.PriceOn(day);

                row.Should().NotBeNull("{0} must have a price on {1:O}", model.Name, day);
                (row!.Input, row.Output).Should().Be((expected.InputPer1M, expected.OutputPer1M), "{0} on {1:O}", model.Name, day);
            }
        }
    }

    [Fact]
    public void TheUnpricedModelHasNoPriceSoCostsCanBeMissing()
    {
        Resolve(GeneratedModels.Unpriced, new DateOnly(2025, 1, 1)).Should().BeNull();
    }

    [Fact]
    public void TheGpt4oAliasIsPricedByDate()
    {
        Resolve("gpt-4o", new DateOnly(2024, 10, 1))!.Input.Should().Be(5.00m);
        Resolve("gpt-4o", new DateOnly(2024, 10, 2))!.Input.Should().Be(2.50m);
    }

    [Fact]
    public void LoggedCostsAgreeWithThePriceTable()
    {
        var records = GeneratedRecords.Generate(new CallLogGeneratorOptions { Count = 20_000, Seed = 3 });
        var withCost = 0;

        foreach (var record in records)
        {
            var metrics = record.GetProperty("metrics");
            var model = record.GetProperty("model").GetString()!;
            if (!metrics.TryGetProperty("cost", out var cost) || model == GeneratedModels.Unpriced)
                continue;

            var row = Resolve(model, DateOnly.FromDateTime(GeneratedRecords.Created(record)))!;
            var expected = (metrics.GetProperty("prompt_tokens").GetInt64() * row.Input
                + metrics.GetProperty("completion_tokens").GetInt64() * row.Output) / 1_000_000m;
            cost.GetDecimal().Should().BeApproximately(expected, 0.0000005m);
            withCost++;
        }

        withCost.Should().BeGreaterThan(1_000);
    }
}
