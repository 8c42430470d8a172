using System.Globalization;
using System.Text.Json;
using CsvHelper;
using LlmLog.Export;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>The BigQuery JSON schema beside a CSV export admits every row of that CSV, as <c>bq load</c> reads it.</summary>
public sealed class BigQuerySchemaTests
{
    [Fact]
    public async Task EveryColumnWithAnEmptyFieldInTheCsvIsNullableInTheBigQuerySchema()
    {
        // BigQuery reads an empty CSV field as NULL, quoted or not. calls.flags was REQUIRED, and every unflagged call
        // (most of a real export) failed `bq load` with the schema llmlog wrote; so did an empty reject text.
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var cut = w.Files.File("cut.json", "[" + Some.Call("2024-12-17 10:00:00", "cut-model").ToJsonString() + ",");
        IngestRunner.Run(w.Target, [cut], ExportFixtures.Ingest);

        foreach (var table in ExportTable.All)
        {
            var result = ExportFixtures.Export(w, table.Name, w.Files.Combine(table.Name + ".csv"));
            var modes = JsonDocument.Parse(File.ReadAllText(result.SchemaJsonPath!)).RootElement.EnumerateArray()
                .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("mode").GetString());

            using var reader = new CsvReader(new StreamReader(result.DataFiles.Single().Path), CultureInfo.InvariantCulture);
            reader.Read();
            reader.ReadHeader();
            var header = reader.HeaderRecord!;
            var rows = 0;
            while (reader.Read())
            {
                rows++;
                for (var i = 0; i < header.Length; i++)
                {
                    if (reader.GetField(i) == "") modes[header[i]].Should().Be("NULLABLE", $"{table.Name}.{header[i]} is empty in row {rows}");
                }
            }
            rows.Should().BePositive(table.Name);
        }
    }
}
