using System.Globalization;
using CsvHelper;
using Dapper;
using DuckDB.NET.Data;
using LlmLog.Export;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>
/// The hourly export in a local zone has one row per real hour: the hour repeated when the clocks go back is two
/// rows told apart by hour_start, and hour_start is the instant the local hour really starts, also in zones whose
/// offset is not a whole hour.
/// </summary>
public sealed class HourlyExportTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TheHourRepeatedWhenTheClocksGoBackIsTwoRowsEachWithItsOwnCallsAndP95(Engine engine)
    {
        // New York, 2024-11-03: 05:30 and 05:40 UTC are 01:30 and 01:40 EDT (UTC-4); 06:30 UTC is 01:30 EST (UTC-5).
        using var w = await WarehouseWithCallsAsync(engine, ("2024-11-03 05:30:00", 1), ("2024-11-03 05:40:00", 2), ("2024-11-03 06:30:00", 10));
        var csv = w.Files.Combine("hourly-ny.csv");

        ExportFixtures.Export(w, "hourly", csv, timeZone: "America/New_York");

        Rows(csv).Select(r => (r["day"], r["hour"], r["calls"], r["p95_latency_s"], r["hour_start"])).Should().Equal(
            ("2024-11-03", "1", "2", "1.95", "2024-11-03T01:00:00.000000-04:00"),
            ("2024-11-03", "1", "1", "10", "2024-11-03T01:00:00.000000-05:00"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TheRepeatedHourIsTwoRowsInParquetWithTheirUtcStarts(Engine engine)
    {
        using var w = await WarehouseWithCallsAsync(engine, ("2024-11-03 05:30:00", 1), ("2024-11-03 06:30:00", 10));
        var file = w.Files.Combine("hourly-ny.parquet");

        ExportFixtures.Export(w, "hourly", file, ExportFormat.Parquet, timeZone: "America/New_York");

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        var rows = duck.Query<(long Hour, long Calls, string Start)>(
            $"SELECT hour, calls, strftime(timezone('UTC', hour_start), '%Y-%m-%d %H:%M:%S') FROM read_parquet('{file}') ORDER BY hour_start").ToList();
        rows.Should().Equal((1L, 1L, "2024-11-03 05:00:00"), (1L, 1L, "2024-11-03 06:00:00"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ASpringForwardDayHasNoRowForTheSkippedHourAndItsHoursStartAnHourApart(Engine engine)
    {
        // New York, 2024-03-10: 06:30 UTC is 01:30 EST; at 07:00 UTC the clock jumps from 02:00 to 03:00 EDT.
        using var w = await WarehouseWithCallsAsync(engine, ("2024-03-10 06:30:00", 1), ("2024-03-10 07:30:00", 2));
        var csv = w.Files.Combine("hourly-ny.csv");

        ExportFixtures.Export(w, "hourly", csv, timeZone: "America/New_York");

        Rows(csv).Select(r => (r["day"], r["hour"], r["calls"], r["hour_start"])).Should().Equal(
            ("2024-03-10", "1", "1", "2024-03-10T01:00:00.000000-05:00"),
            ("2024-03-10", "3", "1", "2024-03-10T03:00:00.000000-04:00"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task InAZoneOffsetByAFractionOfAnHourTheHourStartsAtItsRealUtcInstant(Engine engine)
    {
        // 05:10 UTC is 10:40 in Kolkata (+05:30), whose 10:00 began at 04:30 UTC, and 10:55 in Kathmandu (+05:45),
        // whose 10:00 began at 04:15 UTC.
        using var w = await WarehouseWithCallsAsync(engine, ("2024-12-13 05:10:00", 1));

        foreach (var (zone, start, startUtc) in new[]
        {
            ("Asia/Kolkata", "2024-12-13T10:00:00.000000+05:30", "2024-12-13 04:30:00"),
            ("Asia/Kathmandu", "2024-12-13T10:00:00.000000+05:45", "2024-12-13 04:15:00"),
        })
        {
            var csv = w.Files.Combine(zone.Replace('/', '-') + ".csv");
            ExportFixtures.Export(w, "hourly", csv, timeZone: zone);

            var row = Rows(csv).Should().ContainSingle().Subject;
            (row["day"], row["hour"], row["hour_start"]).Should().Be(("2024-12-13", "10", start), zone);
            DateTimeOffset.Parse(row["hour_start"], CultureInfo.InvariantCulture).UtcDateTime
                .Should().Be(DateTime.Parse(startUtc, CultureInfo.InvariantCulture), zone);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task InUtcTheHourStartsAtItsDayPlusTheHourFromTheMartAndFromTheCalls(Engine engine)
    {
        using var w = await WarehouseWithCallsAsync(engine, ("2024-12-13 00:59:59", 1), ("2024-12-13 09:00:00", 1), ("2024-12-14 23:30:00", 1));

        // Without --model the UTC mart is read; with it, the call rows are re-bucketed.
        foreach (var model in new string?[] { null, "gpt-4o" })
        {
            var csv = w.Files.Combine($"hourly-{model ?? "all"}.csv");
            ExportFixtures.Export(w, "hourly", csv, model: model);

            Rows(csv).Select(r => (r["day"], r["hour"], r["hour_start"])).Should().Equal(
                [
                    ("2024-12-13", "0", "2024-12-13T00:00:00.000000Z"),
                    ("2024-12-13", "9", "2024-12-13T09:00:00.000000Z"),
                    ("2024-12-14", "23", "2024-12-14T23:00:00.000000Z"),
                ],
                $"model {model ?? "(all)"}");
        }
    }

    private static async Task<TestWarehouse> WarehouseWithCallsAsync(Engine engine, params (string Created, double LatencyS)[] calls)
    {
        var w = await TestWarehouse.CreateAsync(engine);
        var records = calls.Select(c =>
        {
            var call = Some.Call(c.Created);
            var metrics = call["metrics"]!.AsObject();
            // Whole seconds, so end - start is exactly the latency and the expected p95 can be written out.
            metrics["start"] = 1730000000.0;
            metrics["end"] = 1730000000.0 + c.LatencyS;
            metrics["time_to_first_token"] = c.LatencyS / 2;
            return (System.Text.Json.Nodes.JsonNode?)call;
        });
        var file = w.Files.File("calls.jsonl", Some.JsonLines(records));
        IngestRunner.Run(w.Target, [file], ExportFixtures.Ingest).Loaded.Should().Be(calls.Length);
        return w;
    }

    private static List<Dictionary<string, string>> Rows(string csvPath)
    {
        using var reader = new CsvReader(new StreamReader(csvPath), CultureInfo.InvariantCulture);
        reader.Read();
        reader.ReadHeader();
        var header = reader.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read()) rows.Add(header.Select((name, i) => (name, value: reader.GetField(i) ?? "")).ToDictionary(f => f.name, f => f.value));
        return rows;
    }
}
