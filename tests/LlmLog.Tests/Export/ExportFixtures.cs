using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using LlmLog.Export;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>Warehouses with awkward data, exports of them, and their rows read back in one comparable shape.</summary>
internal static class ExportFixtures
{
    public static readonly IngestOptions Ingest = new() { LockTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>Model names a naive CSV writer, loader or SQL builder gets wrong: separators, quotes, line breaks, non-ASCII, formulas, injection.</summary>
    public static readonly string[] AwkwardModels =
    [
        "acme, \"the\" model",
        "line one\nline two",
        "crlf\r\nmodel",
        "模型-ünïcödé-😀",
        "=cmd|' /C calc'!A0",
        "+plus",
        "-minus",
        "@at",
        " padded ",
        "\"",
        "x'); DROP TABLE calls; --",
        "$$ dollar $tag$ quoting",
    ];

    /// <summary>
    /// Of <see cref="AwkwardModels"/>, a name today's ingest rejects (white space around it, a control character in it).
    /// A warehouse an older llmlog loaded holds such names, and an export must still write them.
    /// </summary>
    private static bool RejectedToday(string model) => model.Trim() != model || model.Any(char.IsControl);

    private static string StandIn(int i) => $"stand-in-for-awkward-model-{i:00}";

    /// <summary>
    /// One call per awkward model (a stand-in for those today's ingest rejects), plus an empty request type (not NULL),
    /// and calls missing optional fields.
    /// </summary>
    private static List<JsonNode?> AwkwardCalls()
    {
        var calls = new List<JsonNode?>();
        for (var i = 0; i < AwkwardModels.Length; i++)
        {
            var call = Some.Call($"2024-12-1{i % 3 + 6} {i:00}:15:00", RejectedToday(AwkwardModels[i]) ? StandIn(i) : AwkwardModels[i]);
            if (i == 1) call["type"] = "";
            if (i == 2) call.Remove("type");
            if (i == 3) call.Remove("temperature");
            if (i == 4) call.Remove("max_tokens");
            calls.Add(call);
        }
        calls.Add(Some.StreamedCall("2024-12-17 23:59:59"));
        return calls;
    }

    /// <summary>A warehouse of <paramref name="engine"/> holding data/sample-export.json, its 33 bad records among them.</summary>
    public static async Task<TestWarehouse> SampleWarehouseAsync(Engine engine)
    {
        var w = await TestWarehouse.CreateAsync(engine);
        LlmLog.Loading.IngestRunner.Run(w.Target, [Generation.GeneratedRecords.RepositoryFile("data/sample-export.json")], Ingest);
        return w;
    }

    /// <summary>A warehouse with the awkward calls (from a file whose name needs quoting too) and some ordinary ones.</summary>
    public static async Task<TestWarehouse> AwkwardWarehouseAsync(Engine engine)
    {
        var w = await TestWarehouse.CreateAsync(engine);
        var awkward = w.Files.File("awk,ward \"calls\".jsonl", Some.JsonLines(AwkwardCalls()));
        var plain = w.Files.File("plain.json", Some.Export(Some.Calls(40, days: 4)));
        var bad = w.Files.File("bad.jsonl", "{\"created\": \"2024-12-16 01:00:00\"}\n{\"model\": \"x\"}\n");
        var summary = IngestRunner.Run(w.Target, [awkward, plain, bad], Ingest);
        summary.Loaded.Should().Be(AwkwardModels.Length + 1 + 40);
        // The names an older llmlog loaded as they were: stored over their stand-ins, and the marts rebuilt with them.
        using (var db = w.Open())
        {
            var p = w.Engine == Engine.DuckDb ? "$" : "@"; // DuckDB spells parameters $name (SqlCatalog renames them in the SQL files)
            for (var i = 0; i < AwkwardModels.Length; i++)
            {
                if (!RejectedToday(AwkwardModels[i])) continue;
                var (family, version) = LlmLog.Validation.ModelName.Split(AwkwardModels[i]);
                db.Connection.Execute($"UPDATE calls SET model = {p}model, model_family = {p}family, model_version = {p}version WHERE model = {p}stand_in",
                    new { model = AwkwardModels[i], family, version, stand_in = StandIn(i) });
            }
        }
        TransformRunner.Run(w.Target, new TransformOptions { Full = true, LockTimeout = TimeSpan.FromSeconds(60) });
        return w;
    }

    public static ExportResult Export(TestWarehouse w, string table, string @out, ExportFormat format = ExportFormat.Csv, bool partition = false,
        DateOnly? from = null, DateOnly? to = null, string? model = null, string timeZone = "UTC", bool spreadsheetSafe = false) =>
        Exporter.Run(w.Target, new ExportRequest
        {
            Table = ExportTable.Named(table),
            Format = format,
            Out = @out,
            PartitionByDay = partition,
            From = from,
            To = to,
            Model = model,
            TimeZone = timeZone,
            SpreadsheetSafe = spreadsheetSafe,
            LockTimeout = TimeSpan.FromSeconds(60),
        });

    /// <summary>
    /// The calls as the export should carry them, read straight from the warehouse tables with a query written
    /// here (not the export's own SQL), normalised and in record_id order.
    /// </summary>
    public static List<object?[]> SourceCalls(TestWarehouse w)
    {
        var columns = ExportTable.Named("calls").Columns;
        var select = string.Join(", ", columns.Select(c => c.Name is "cost_usd" or "cost_source" ? "k." + c.Name : "c." + c.Name));
        using var warehouse = w.Open();
        using var reader = (DbDataReader)warehouse.Connection.ExecuteReader($"SELECT {select} FROM calls AS c LEFT JOIN call_costs AS k ON k.record_id = c.record_id");
        return Read(reader, columns, columns.Select(c => c.Name).ToList());
    }

    /// <summary>
    /// The rows of an aggregate table's export read straight from its mart, normalised and in key order. The mart does
    /// not store hourly's hour_start; in UTC it is the day's midnight plus the hour, added here.
    /// </summary>
    public static List<object?[]> MartRows(TestWarehouse w, ExportTable table)
    {
        var stored = table.Columns.Where(c => !(table.Name == "hourly" && c.Name == "hour_start")).ToList();
        using var warehouse = w.Open();
        using var reader = (DbDataReader)warehouse.Connection.ExecuteReader($"SELECT {string.Join(", ", stored.Select(c => c.Name))} FROM {table.WarehouseTable}");
        var rows = Read(reader, stored);
        if (stored.Count == table.Columns.Count) return rows;
        return rows.Select(r => (object?[])[.. r, ((DateOnly)r[0]!).ToDateTime(TimeOnly.MinValue).AddHours((long)r[1]!)]).ToList();
    }

    /// <summary>Rows of a reader whose columns are named as <paramref name="columns"/> (in any order), normalised to one CLR type per column type.</summary>
    public static List<object?[]> Read(DbDataReader reader, IReadOnlyList<ExportColumn> columns, IReadOnlyList<string>? keyOrder = null)
    {
        var ordinals = columns.Select(c => reader.GetOrdinal(c.Name)).ToArray();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                row[i] = reader.IsDBNull(ordinals[i]) ? null : Normalise(reader.GetValue(ordinals[i]), columns[i].Type);
            }
            rows.Add(row);
        }
        return rows.OrderBy(r => Key(r), StringComparer.Ordinal).ToList();
    }

    public static object Normalise(object value, ColumnType type) => type switch
    {
        ColumnType.Text => (string)value,
        ColumnType.BigInt => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ColumnType.Double => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        ColumnType.Boolean => (bool)value,
        ColumnType.Date => DbValues.Day(value),
        ColumnType.Timestamp => value switch
        {
            DateTimeOffset o => DateTime.SpecifyKind(o.UtcDateTime, DateTimeKind.Unspecified),
            DateTime t when t.Kind == DateTimeKind.Local => DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Unspecified),
            DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
            _ => throw new InvalidCastException($"not a timestamp: {value.GetType().Name}"),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Asserts two row lists are identical, naming the first differing row and column.</summary>
    public static void ShouldEqual(List<object?[]> actual, List<object?[]> expected, IReadOnlyList<ExportColumn> columns)
    {
        actual.Should().HaveSameCount(expected);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                actual[r][c].Should().Be(expected[r][c], $"row {r} ({Key(expected[r])}) column {columns[c].Name} must survive the export unchanged");
            }
        }
    }

    private static string Key(object?[] row) => string.Join("|", row.Take(4).Select(v => v?.ToString() ?? ""));
}
