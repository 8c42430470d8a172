using System.Globalization;
using System.Text.Json;

namespace LlmLog.Generation;

/// <summary>Which API a model sits behind; it decides request parameters the caller may send.</summary>
internal enum ModelFamily
{
    OpenAiChat,
    OpenAiReasoning,
    Anthropic,
    Other,
}

/// <summary>A list price (USD per 1M tokens) that holds from a day until the next period starts.</summary>
internal sealed record PricePeriod(DateOnly From, decimal InputPer1M, decimal OutputPer1M);

/// <summary>How one model behaves in the generated traffic: its share, sizes, speed and price history.</summary>
internal sealed record ModelProfile(
    string Name,
    ModelFamily Family,
    double Share,
    double PromptMedian,
    double CompletionMedian,
    double TokensPerSecond,
    double FirstTokenSeconds,
    double StreamShare,
    PricePeriod[] Prices)
{
    /// <summary>Nobody calls a model before it is released, which is also the day its first price starts.</summary>
    public DateOnly AvailableFrom => Prices[0].From;

    /// <summary>The name as the JSON writer wants it, encoded once instead of on every record.</summary>
    public JsonEncodedText EncodedName { get; } = JsonEncodedText.Encode(Name);

    public PricePeriod PriceOn(DateOnly day)
    {
        var current = Prices[0];
        foreach (var period in Prices)
            if (period.From <= day)
                current = period;
        return current;
    }
}

/// <summary>The models the generator calls; their prices must agree with data/model-prices.csv (a test checks).</summary>
internal static class GeneratedModels
{
    /// <summary>Priced by the caller's logger (so it may carry a cost) but deliberately absent from the price table.</summary>
    public const string Unpriced = "acme-llm-1";

    public static readonly ModelProfile[] All =
    [
        new("gpt-4o-2024-11-20", ModelFamily.OpenAiChat, 40, 900, 350, 70, 0.45, 0.35,
            [new(new(2024, 11, 20), 2.50m, 10.00m)]),
        new("gpt-4o-2024-08-06", ModelFamily.OpenAiChat, 12, 900, 350, 75, 0.50, 0.30,
            [new(new(2024, 8, 6), 2.50m, 10.00m)]),
        // The bare alias moved from the 2024-05-13 snapshot to 2024-08-06 on 2024-10-02, and its price with it.
        new("gpt-4o", ModelFamily.OpenAiChat, 3, 800, 300, 70, 0.45, 0.40,
            [new(new(2024, 5, 13), 5.00m, 15.00m), new(new(2024, 10, 2), 2.50m, 10.00m)]),
        new("gpt-4o-mini-2024-07-18", ModelFamily.OpenAiChat, 18, 1200, 250, 100, 0.35, 0.30,
            [new(new(2024, 7, 18), 0.15m, 0.60m)]),
        new("o1-2024-12-17", ModelFamily.OpenAiReasoning, 4, 1500, 2500, 45, 0.60, 0.05,
            [new(new(2024, 12, 17), 15.00m, 60.00m)]),
        new("o3-mini-2025-01-31", ModelFamily.OpenAiReasoning, 5, 1200, 1800, 90, 0.50, 0.20,
            [new(new(2025, 1, 31), 1.10m, 4.40m)]),
        new("claude-3-5-sonnet-20241022", ModelFamily.Anthropic, 10, 1500, 400, 55, 0.90, 0.55,
            [new(new(2024, 10, 22), 3.00m, 15.00m)]),
        // Announced with Sonnet on 2024-10-22 but only callable from 2024-11-04.
        new("claude-3-5-haiku-20241022", ModelFamily.Anthropic, 5, 1000, 250, 80, 0.60, 0.45,
            [new(new(2024, 11, 4), 0.80m, 4.00m)]),
        new(Unpriced, ModelFamily.Other, 2, 700, 300, 40, 1.20, 0.30,
            [new(new(2023, 1, 1), 0.50m, 1.50m)]),
    ];

    /// <summary>The first day any generated model exists; the generator refuses windows that start earlier.</summary>
    public static DateOnly FirstDay { get; } = All.Min(m => m.AvailableFrom);

    public static ModelProfile Pick(DateOnly day, Random rng)
    {
        var total = 0.0;
        foreach (var model in All)
            if (model.AvailableFrom <= day)
                total += model.Share;

        var target = rng.NextDouble() * total;
        ModelProfile? last = null;
        foreach (var model in All)
        {
            if (model.AvailableFrom > day)
                continue;
            last = model;
            target -= model.Share;
            if (target < 0)
                return model;
        }
        // Only reachable through rounding at the very top of the range, or a day before FirstDay (options forbid it).
        return last ?? throw new InvalidOperationException("No generated model is available on " + day.ToString("O", CultureInfo.InvariantCulture));
    }
}
