using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmLog.Loading;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Report.Support;

/// <summary>
/// Deterministic call logs for report tests, loaded into a throwaway DuckDB warehouse through the real ingest.
/// The data covers what the report must show: several models (one named like an HTML script), streamed and
/// not, both request types, unset temperatures, calls that hit max_tokens, calls without usage, logged costs,
/// and a rejected record.
/// </summary>
public sealed class ReportSample : IDisposable
{
    public const string ScriptModel = "<script>alert(1)</script>";
    /// <summary>The report's generation time in tests, so its text is the same on every run.</summary>
    public static readonly DateTime FixedNow = new(2025, 1, 20, 12, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Models = ["gpt-4o-mini", "gpt-4o-2024-11-20", "claude-3-5-sonnet-20241022", "claude-3-5-haiku", ScriptModel];

    private ReportSample(string folder, DatabaseTarget? target = null)
    {
        Folder = folder;
        Database = Path.Combine(folder, "warehouse.duckdb");
        Target = target ?? DatabaseTarget.Parse(Database);
    }

    public string Folder { get; }

    /// <summary>The DuckDB file path (what <c>--db</c> takes) when the sample lives in DuckDB.</summary>
    public string Database { get; }

    public DatabaseTarget Target { get; }

    public static ReportSample Empty() => new(Directory.CreateTempSubdirectory("llmlog-report-").FullName);

    /// <summary>A warehouse holding <paramref name="days"/> days of calls from 2025-01-01, ingested with the clock fixed.</summary>
    public static ReportSample Create(int days = 14, int callsPerDay = 40, int seed = 42, string[]? models = null, bool loggedCosts = true, DatabaseTarget? target = null)
    {
        var sample = new ReportSample(Directory.CreateTempSubdirectory("llmlog-report-").FullName, target);
        var file = Path.Combine(sample.Folder, "calls.jsonl");
        File.WriteAllText(file, Lines(days, callsPerDay, seed, models ?? Models, loggedCosts), new UTF8Encoding(false));
        sample.Ingest(file);
        return sample;
    }

    /// <summary>Two customer models whose long names differ only in their last characters.</summary>
    public static readonly string[] LongModels = ["customer-support-finetune-very-long-name-2024-01-01", "customer-support-finetune-very-long-name-2024-06-01"];

    /// <summary>
    /// Calls at the edge of what a page must hold: about 10^9 tokens and $10^5 to $10^6 each, latencies of hours,
    /// the <see cref="LongModels"/>, and one ingest run per file of a deep folder, so names and numbers are wider than any column.
    /// </summary>
    public static ReportSample Extreme(int days = 10, int callsPerDay = 20)
    {
        var sample = new ReportSample(Directory.CreateTempSubdirectory("llmlog-report-").FullName);
        var folder = Directory.CreateDirectory(Path.Combine(sample.Folder, "a-very-long-directory-name-that-holds-the-exports-of-every-team", "and-another-level-below-it")).FullName;
        var random = new Random(7);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var d = 0; d < days; d++)
        {
            var b = new StringBuilder();
            for (var i = 0; i < callsPerDay; i++)
            {
                var begin = (start.AddDays(d).AddSeconds(random.Next(0, 86_400)) - DateTime.UnixEpoch).TotalSeconds;
                var latency = 1_000 + random.NextDouble() * 99_000;
                long prompt = 800_000_000 + random.Next(0, 100_000_000), completion = 1 + random.Next(0, 100_000_000);
                var record = new Dictionary<string, object?>
                {
                    ["id"] = FormattableString.Invariant($"extreme-{d}-{i}"),
                    ["created"] = DateTime.UnixEpoch.AddSeconds(begin).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    ["model"] = LongModels[random.Next(LongModels.Length)],
                    ["stream"] = false,
                    ["metrics"] = new Dictionary<string, object?>
                    {
                        ["start"] = Math.Round(begin, 3), ["end"] = Math.Round(begin + latency, 3), ["time_to_first_token"] = Math.Round(latency / 2, 3),
                        ["tokens"] = prompt + completion, ["prompt_tokens"] = prompt, ["completion_tokens"] = completion,
                        ["cost"] = Math.Round(100_000 + random.NextDouble() * 900_000, 2),
                    },
                };
                b.Append(JsonSerializer.Serialize(record)).Append('\n');
            }
            var file = Path.Combine(folder, FormattableString.Invariant($"calls-of-2025-01-{d + 1:00}.jsonl"));
            File.WriteAllText(file, b.ToString(), new UTF8Encoding(false));
            sample.Ingest(file);
        }
        return sample;
    }

    /// <summary>A warehouse holding exactly these records (see <see cref="LlmLog.Tests.Support.Some"/>), for a chart that needs a particular shape of data.</summary>
    public static ReportSample Of(IEnumerable<System.Text.Json.Nodes.JsonNode> records, DatabaseTarget? target = null)
    {
        var sample = new ReportSample(Directory.CreateTempSubdirectory("llmlog-report-").FullName, target);
        var file = Path.Combine(sample.Folder, "calls.jsonl");
        File.WriteAllText(file, LlmLog.Tests.Support.Some.JsonLines(records), new UTF8Encoding(false));
        sample.Ingest(file);
        return sample;
    }

    public void Ingest(string file)
    {
        IngestRunner.Run(Target, [file], new IngestOptions(), null);
    }

    /// <summary>A three-day sample and one more input cut off mid-record (a partial run), for the tests of runs resolved by hand.</summary>
    public static ReportSample WithCutRun(out string cutFile, out string runId)
    {
        var sample = Create(days: 3, callsPerDay: 5);
        cutFile = Path.Combine(sample.Folder, "broken.json");
        File.WriteAllText(cutFile, "{\"data\": [ {\"created\": ");
        var run = IngestRunner.Run(sample.Target, [cutFile], new IngestOptions(), null).Files.Single().RunId!.Value;
        runId = run.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return sample;
    }

    /// <summary>A warehouse holding exactly the records of <paramref name="text"/>, ingested from a file named <paramref name="fileName"/>.</summary>
    public static ReportSample WithLog(string fileName, string text)
    {
        var sample = Empty();
        var file = Path.Combine(sample.Folder, fileName);
        File.WriteAllText(file, text);
        sample.Ingest(file);
        return sample;
    }

    /// <summary>An empty but migrated warehouse: the database exists and holds no call.</summary>
    public void CreateEmptyWarehouse()
    {
        using var db = WarehouseConnection.Open(DatabaseTarget.Parse(Database), TimeSpan.FromSeconds(10));
    }

    public static string Lines(int days, int callsPerDay, int seed, string[] models, bool loggedCosts = true)
    {
        var random = new Random(seed);
        var b = new StringBuilder();
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var n = 0;
        for (var d = 0; d < days; d++)
        {
            var count = callsPerDay + random.Next(-callsPerDay / 4, callsPerDay / 4 + 1);
            for (var i = 0; i < count; i++)
            {
                var created = start.AddDays(d).AddSeconds(random.Next(0, 86_400));
                var model = models[Math.Min(models.Length - 1, (int)(Math.Pow(random.NextDouble(), 1.6) * models.Length))];
                var stream = random.NextDouble() < 0.6;
                int?[] maxChoices = [256, 512, 1024, null];
                double?[] temperatures = [0.0, 0.2, 0.7, 1.0, null];
                var maxTokens = maxChoices[random.Next(maxChoices.Length)];
                var prompt = 200 + random.Next(0, 3000);
                var completion = 20 + random.Next(0, 700);
                if (maxTokens is { } m && completion > m) completion = m;
                var latency = 0.3 + completion / 60.0 * (0.6 + random.NextDouble());
                var ttft = stream ? Math.Min(latency, 0.1 + random.NextDouble() * 0.6) : latency;
                var begin = (created - DateTime.UnixEpoch).TotalSeconds;
                var metrics = new Dictionary<string, object?>
                {
                    ["start"] = Math.Round(begin, 3),
                    ["end"] = Math.Round(begin + latency, 3),
                    ["time_to_first_token"] = Math.Round(ttft, 3),
                };
                if (random.NextDouble() >= 0.04)
                {
                    metrics["tokens"] = prompt + completion;
                    metrics["prompt_tokens"] = prompt;
                    metrics["completion_tokens"] = completion;
                    if (loggedCosts) metrics["cost"] = Math.Round((prompt * 0.15 + completion * 0.6) / 1_000_000, 8);
                }
                var record = new Dictionary<string, object?>
                {
                    ["id"] = "call-" + (n++).ToString(CultureInfo.InvariantCulture),
                    ["created"] = created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    ["model"] = model,
                    ["stream"] = stream,
                    ["max_tokens"] = maxTokens,
                    ["temperature"] = temperatures[random.Next(temperatures.Length)],
                    ["type"] = random.NextDouble() < 0.7 ? "text" : "json_schema",
                    ["metrics"] = metrics,
                };
                b.Append(JsonSerializer.Serialize(record)).Append('\n');
            }
        }
        b.Append("{\"id\":\"bad-1\",\"created\":\"2025-01-02 10:00:00\",\"model\":\"gpt-4o-mini\",\"metrics\":{\"tokens\":-5}}\n");
        return b.ToString();
    }

    public void Dispose() => LlmLog.Tests.Support.TempFolder.Delete(Folder);
}
