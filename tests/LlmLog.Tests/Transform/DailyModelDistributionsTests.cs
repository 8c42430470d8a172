using Dapper;
using LlmLog.Report;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>daily_model_distributions against the same bins worked out in C# from the call rows.</summary>
public sealed class DailyModelDistributionsTests
{
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task EveryValueIsCountedInTheBinTheReportComputesForItsDayModelAndMeasure(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);
        TransformFixtures.LoadPrices(target, folder);
        // Zero TTFTs, zero completions (a rate and a share of zero), missing fields and values on a bin edge (1 s).
        string[] edges =
        [
            TransformFixtures.Call("2024-12-13 09:00:00", model: "gpt-4o-mini", stream: true, latency: 1, ttft: 0, prompt: 5, completion: 0, tokens: 5, maxTokens: 100),
            TransformFixtures.Call("2024-12-13 09:01:00", model: "gpt-4o-mini", stream: false, latency: 1.01, ttft: 1.01, prompt: 5, completion: 100, tokens: 105, maxTokens: 100),
        ];
        TransformFixtures.Ingest(target, folder, ("random.jsonl", [.. RandomCalls.Lines(400, seed: 5), .. edges]));

        var expected = Expected(target);
        var actual = TransformFixtures.Rows(target, "daily_model_distributions", "day, model, measure, bin")
            .OrderBy(r => (DateOnly)r[0]!).ThenBy(r => (string)r[1]!, StringComparer.Ordinal).ThenBy(r => (string)r[2]!, StringComparer.Ordinal).ThenBy(r => (long)r[3]!)
            .ToList();

        expected.Select(r => (string)r[2]!).Distinct().Should().BeEquivalentTo(
            [Measures.Latency, Measures.TtftStreamed, Measures.TtftNonStreamed, Measures.OutputTokensPerS, Measures.MaxTokensUse]);
        expected.Should().Contain(r => (long)r[3]! == LogHistogram.ZeroBin, "the data has zero TTFTs, rates and shares");
        TransformFixtures.ShouldMatch(actual, expected, "daily_model_distributions");
    }

    // The measures as the report defines them, each value binned by LogHistogram.BinOf.
    private static List<object?[]> Expected(DatabaseTarget target)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        var calls = new List<(DateTime Day, string Model, bool? Stream, double? Latency, double? Ttft, double? Rate, bool MissingUsage, long? MaxTokens, long? Completion)>();
        using (var r = warehouse.Connection.ExecuteReader(
            "SELECT CAST(day AS TIMESTAMP), model, stream, latency_s, ttft_s, output_tokens_per_s, flag_missing_usage, max_tokens, completion_tokens FROM calls"))
        {
            while (r.Read())
            {
                calls.Add((r.GetDateTime(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetBoolean(2), Double(r, 3), Double(r, 4), Double(r, 5), r.GetBoolean(6),
                    r.IsDBNull(7) ? null : r.GetInt64(7), r.IsDBNull(8) ? null : r.GetInt64(8)));
            }
        }
        var values = calls.SelectMany(c => new (string Measure, double? Value)[]
            {
                (Measures.Latency, c.Latency),
                (Measures.TtftStreamed, c.Stream == true ? c.Ttft : null),
                (Measures.TtftNonStreamed, c.Stream == false ? c.Ttft : null),
                (Measures.OutputTokensPerS, c.MissingUsage ? null : c.Rate),
                (Measures.MaxTokensUse, c.MaxTokens > 0 && c.Completion is { } done ? (double)done / c.MaxTokens.Value : null),
            }
            .Where(m => m.Value is not null)
            .Select(m => (Day: DateOnly.FromDateTime(c.Day), c.Model, m.Measure, Value: m.Value!.Value)));
        return values
            .GroupBy(v => (v.Day, v.Model, v.Measure, Bin: LogHistogram.BinOf(v.Value)))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Measure, StringComparer.Ordinal).ThenBy(g => g.Key.Bin)
            .Select(g => new object?[] { g.Key.Day, g.Key.Model, g.Key.Measure, g.Key.Bin, (long)g.Count(), InMillionths(g.Select(v => v.Value)), g.Min(v => v.Value), g.Max(v => v.Value) })
            .ToList();
    }

    // The mart's sum: each value rounded to a millionth, added as integers, so it is the same in any order.
    private static double InMillionths(IEnumerable<double> values) => values.Sum(v => (long)Math.Floor(v * 1_000_000 + 0.5)) / 1_000_000.0;

    private static double? Double(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
