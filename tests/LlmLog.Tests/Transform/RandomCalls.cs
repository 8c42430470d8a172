using System.Globalization;

namespace LlmLog.Tests.Transform;

/// <summary>A seeded, varied set of records (every optional field sometimes missing) for the differential and incremental tests.</summary>
internal static class RandomCalls
{
    private static readonly string[] Models =
    [
        "gpt-4o-2024-11-20", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "mystery-model",
    ];

    /// <summary><paramref name="count"/> JSON lines over five UTC days, plus a few records that are rejected.</summary>
    public static List<string> Lines(int count, int seed = 42)
    {
        var random = new Random(seed);
        var first = new DateTime(2024, 12, 12, 0, 0, 0, DateTimeKind.Utc);
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = first.AddSeconds(random.Next(0, 5 * 86400)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var stream = random.Next(10) switch { 0 => (bool?)null, < 5 => true, _ => false };
            var latency = Math.Round(0.05 + random.NextDouble() * 30, 3);
            var withUsage = stream != true || random.Next(10) < 3;
            long? prompt = withUsage ? random.Next(1, 5000) : null;
            long? completion = withUsage ? random.Next(0, 3000) : null;
            long? maxTokens = random.Next(6) == 0 ? null : random.Next(4) == 0 ? 256 : 16000;
            if (completion is { } c && maxTokens is { } m && random.Next(8) == 0) completion = m;
            lines.Add(TransformFixtures.Call(
                created,
                model: Models[random.Next(Models.Length)],
                stream: stream,
                type: random.Next(10) switch { 0 => null, < 6 => "text", _ => "json_schema" },
                maxTokens: maxTokens,
                temperature: random.Next(5) switch { 0 => null, 1 => 1, _ => Math.Round(random.NextDouble(), 2) },
                latency: random.Next(20) == 0 ? null : latency,
                ttft: random.Next(20) == 0 ? null : Math.Round(latency * random.NextDouble(), 3),
                prompt: prompt,
                completion: completion,
                tokens: prompt + completion,
                cost: random.Next(15) == 0 ? Math.Round(random.NextDouble(), 4) : null));
        }
        lines.Add("""{"created": "not a time", "model": "gpt-4o"}""");
        lines.Add("""{"created": "2024-12-13 10:00:00", "model": ""}""");
        return lines;
    }
}
