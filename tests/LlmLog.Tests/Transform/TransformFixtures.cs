using System.Globalization;
using System.Text.Json;
using Dapper;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Transform;

/// <summary>Builds log records, price tables and warehouses on either engine for the transform tests.</summary>
internal static class TransformFixtures
{
    /// <summary>Prices the hand-worked fixture is computed with (see docs/metrics.md for the rules they exercise).</summary>
    public const string TestPrices = """
        model_match,match_type,input_per_1m_usd,cached_input_per_1m_usd,output_per_1m_usd,valid_from,valid_to,source
        gpt-4o-2024-11-20,exact,2.50,1.25,10.00,2024-01-01,2024-12-13,test: old list price
        gpt-4o-2024-11-20,exact,5.00,,20.00,2024-12-14,,test: new list price from the 14th
        gpt-4o,prefix,7.00,,30.00,2024-01-01,,test: family price that exact names must beat
        gpt-4o-mini,prefix,0.15,,0.60,2024-01-01,,test: longer prefix beats gpt-4o
        """;

    /// <summary>One log record as a JSON line; latency and TTFT in seconds, tokens absent when null.</summary>
    public static string Call(
        string created,
        string model = "gpt-4o-2024-11-20",
        bool? stream = false,
        string? type = "text",
        long? maxTokens = 1000,
        double? temperature = 0.5,
        double? latency = 1.0,
        double? ttft = 1.0,
        long? prompt = null,
        long? completion = null,
        long? tokens = null,
        double? cost = null)
    {
        var record = new Dictionary<string, object?> { ["created"] = created, ["model"] = model };
        if (stream is not null) record["stream"] = stream;
        if (type is not null) record["type"] = type;
        if (maxTokens is not null) record["max_tokens"] = maxTokens;
        if (temperature is not null) record["temperature"] = temperature;
        var start = new DateTimeOffset(DateTime.ParseExact(created, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)).ToUnixTimeSeconds();
        var metrics = new Dictionary<string, object?> { ["start"] = (double)start };
        if (latency is not null) metrics["end"] = start + latency.Value;
        if (ttft is not null) metrics["time_to_first_token"] = ttft;
        if (tokens is not null) metrics["tokens"] = tokens;
        if (prompt is not null) metrics["prompt_tokens"] = prompt;
        if (completion is not null) metrics["completion_tokens"] = completion;
        if (cost is not null) metrics["cost"] = cost;
        record["metrics"] = metrics;
        return JsonSerializer.Serialize(record);
    }

    /// <summary>
    /// The fixture every daily_llm_metrics column is checked against by hand, as three files (one per UTC day).
    /// 2024-12-13: four calls, one streamed without tokens, one hitting max_tokens, one unpriced model at 23:30.
    /// 2024-12-14: one call, with a logged cost. 2024-12-15: NULL temperatures, one streamed call without tokens.
    /// </summary>
    public static IReadOnlyList<(string Name, string[] Lines)> HandWorkedFiles() =>
    [
        ("2024-12-13.jsonl",
        [
            Call("2024-12-13 10:00:00", temperature: 0.5, maxTokens: 1000, latency: 2.0, ttft: 2.0, prompt: 100, completion: 200, tokens: 300),
            Call("2024-12-13 11:00:00", stream: true, temperature: 1, maxTokens: 1000, latency: 4.0, ttft: 0.5),
            Call("2024-12-13 12:00:00", model: "gpt-4o-mini", type: "json_schema", temperature: 0.0, maxTokens: 50, latency: 1.0, ttft: 1.0, prompt: 100, completion: 50, tokens: 150),
            Call("2024-12-13 23:30:00", model: "mystery-model", type: "json_schema", temperature: 0.7, maxTokens: 500, latency: 3.0, ttft: 2.5, prompt: 40, completion: 20, tokens: 60),
        ]),
        ("2024-12-14.jsonl",
        [
            Call("2024-12-14 08:00:00", temperature: 0.2, maxTokens: 2000, latency: 5.0, ttft: 4.0, prompt: 400, completion: 600, tokens: 1000, cost: 0.5),
        ]),
        ("2024-12-15.jsonl",
        [
            Call("2024-12-15 09:00:00", stream: true, temperature: null, maxTokens: 1000, latency: 6.0, ttft: 1.5),
            Call("2024-12-15 10:00:00", temperature: null, maxTokens: null, latency: 2.0, ttft: 2.0, prompt: 10, completion: 20, tokens: 30),
        ]),
    ];

    /// <summary>A folder for one test's files, removed when disposed.</summary>
    public static TempFolder Folder() => new();

    /// <summary>A fresh, empty warehouse on <paramref name="engine"/>: a DuckDB file in <paramref name="folder"/> or a new PostgreSQL database.</summary>
    public static async Task<DatabaseTarget> NewWarehouseAsync(Engine engine, TempFolder folder) => engine == Engine.Postgres
        ? DatabaseTarget.Parse(await PostgresServer.Shared.CreateDatabaseAsync())
        : DatabaseTarget.Parse(Path.Combine(folder.Path, "warehouse-" + Guid.NewGuid().ToString("N")[..8] + ".duckdb"));

    /// <summary>Puts <paramref name="prices"/> in force before anything is ingested, so the shipped table is never used.</summary>
    public static void LoadPrices(DatabaseTarget target, TempFolder folder, string prices = TestPrices)
    {
        var path = folder.File("prices-" + Guid.NewGuid().ToString("N")[..8] + ".csv", prices);
        TransformRunner.Run(target, new TransformOptions { PricesPath = path });
    }

    /// <summary>Writes the files and ingests them through the real ingest pipeline, in the order given.</summary>
    public static IngestSummary Ingest(DatabaseTarget target, TempFolder folder, params (string Name, string[] Lines)[] files)
    {
        var paths = files.Select(f => folder.File(f.Name, string.Join('\n', f.Lines) + "\n")).ToArray();
        var summary = IngestRunner.Run(target, paths, new IngestOptions { LockTimeout = TimeSpan.FromSeconds(30) });
        summary.ExitCode.Should().Be(ExitCode.Success, summary.Message);
        return summary;
    }

    /// <summary>A hand-worked warehouse: test prices, then the three files ingested.</summary>
    public static async Task<DatabaseTarget> HandWorkedWarehouseAsync(Engine engine, TempFolder folder)
    {
        var target = await NewWarehouseAsync(engine, folder);
        LoadPrices(target, folder);
        Ingest(target, folder, [.. HandWorkedFiles()]);
        return target;
    }

    /// <summary>
    /// Two price tables, each behind one UTC day: <c>Old</c> (the test prices) priced the three calls of 2024-12-13
    /// (10:00–12:00, one of them gpt-4o-mini), <c>New</c> (dearer gpt-4o-mini) the two of 2024-12-14 at 20:00 and 21:00
    /// (one gpt-4o-mini), which are already 2024-12-15 in Tokyo.
    /// </summary>
    public static async Task<(DatabaseTarget Target, string Old, string New)> TwoPriceTablesWarehouseAsync(Engine engine, TempFolder folder)
    {
        var target = await NewWarehouseAsync(engine, folder);
        LoadPrices(target, folder);
        var old = InForceSha256(target);
        Ingest(target, folder, ("old.jsonl",
        [
            Call("2024-12-13 10:00:00", prompt: 100, completion: 10, tokens: 110),
            Call("2024-12-13 11:00:00", model: "gpt-4o-mini", prompt: 100, completion: 10, tokens: 110),
            Call("2024-12-13 12:00:00", prompt: 100, completion: 10, tokens: 110),
        ]));
        LoadPrices(target, folder, TestPrices.Replace("gpt-4o-mini,prefix,0.15,,0.60", "gpt-4o-mini,prefix,0.30,,1.20", StringComparison.Ordinal));
        var @new = InForceSha256(target);
        Ingest(target, folder, ("new.jsonl",
        [
            Call("2024-12-14 20:00:00", prompt: 100, completion: 10, tokens: 110),
            Call("2024-12-14 21:00:00", model: "gpt-4o-mini", prompt: 100, completion: 10, tokens: 110),
        ]));
        return (target, old, @new);
    }

    private static string InForceSha256(DatabaseTarget target)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        return PriceTables.InForce(warehouse)!.Sha256;
    }

    /// <summary>The marts of sql/report_marts: built by the next report, not by ingest.</summary>
    public static readonly IReadOnlySet<string> ReportMarts = new HashSet<string>(StringComparer.Ordinal)
    {
        "daily_report_metrics", "daily_model_distributions", "daily_request_type_metrics", "daily_temperature_calls",
        "daily_flag_set_calls", "daily_max_tokens_use_calls",
    };

    /// <summary>
    /// Every row of a table as values, dates normalised to <see cref="DateOnly"/>, in key order, as its reader
    /// sees it: a report mart is first built for the days that changed, as <c>llmlog report</c> builds it.
    /// </summary>
    public static List<object?[]> Rows(DatabaseTarget target, string table, string orderBy)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        if (ReportMarts.Contains(table)) MartRefresher.RefreshReportDays(warehouse);
        using var reader = warehouse.Connection.ExecuteReader($"SELECT * FROM {table} ORDER BY {orderBy}");
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                var v = reader.IsDBNull(i) ? null : reader.GetValue(i);
                values[i] = v is DateTime t && reader.GetDataTypeName(i).Contains("date", StringComparison.OrdinalIgnoreCase) && !reader.GetDataTypeName(i).Contains("time", StringComparison.OrdinalIgnoreCase)
                    ? DateOnly.FromDateTime(t)
                    : v;
            }
            rows.Add(values);
        }
        return rows;
    }

    /// <summary>The column names of a table, in order.</summary>
    public static List<string> ColumnNames(DatabaseTarget target, string table)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        using var reader = warehouse.Connection.ExecuteReader($"SELECT * FROM {table} LIMIT 0");
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    /// <summary>The UTC daily mart, typed.</summary>
    public static List<DailyMetrics> Daily(DatabaseTarget target, DailyMetricsQuery? query = null)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        return DailyMetricsReader.Read(warehouse, query ?? new DailyMetricsQuery())?.Days.ToList() ?? [];
    }

    /// <summary>Asserts every mart but call_costs (whose priced_at differs) holds the same rows in both warehouses.</summary>
    public static void ShouldHaveTheSameMarts(DatabaseTarget actual, DatabaseTarget expected, string because)
    {
        foreach (var (table, orderBy) in EngineParityTests.Marts.Where(m => m.Table != "call_costs"))
        {
            ShouldMatch(Rows(actual, table, orderBy), Rows(expected, table, orderBy), $"{table}, {because}");
        }
    }

    /// <summary>Asserts call_costs holds exactly one row per call: neither engine has a key to enforce it.</summary>
    public static void ShouldHaveOneCostPerCall(DatabaseTarget target, string because)
    {
        using var warehouse = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        var (costs, pricedCalls, calls) = warehouse.Connection.QuerySingle<(long, long, long)>(
            "SELECT (SELECT count(*) FROM call_costs), (SELECT count(DISTINCT record_id) FROM call_costs), (SELECT count(*) FROM calls)");
        (costs, pricedCalls).Should().Be((calls, calls), because);
    }

    /// <summary>Asserts two table dumps are equal, doubles within 1e-9 relative.</summary>
    public static void ShouldMatch(List<object?[]> actual, List<object?[]> expected, string because)
    {
        actual.Should().HaveSameCount(expected, because);
        for (var r = 0; r < expected.Count; r++)
        {
            actual[r].Should().HaveSameCount(expected[r], because);
            for (var c = 0; c < expected[r].Length; c++)
            {
                var (a, e) = (actual[r][c], expected[r][c]);
                if (a is double x && e is double y)
                {
                    Math.Abs(x - y).Should().BeLessThanOrEqualTo(1e-9 * Math.Max(Math.Abs(x), Math.Abs(y)), $"{because}: row {r}, column {c}");
                }
                else
                {
                    a.Should().Be(e, $"{because}: row {r}, column {c}");
                }
            }
        }
    }
}
