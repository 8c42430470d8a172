using System.Data.Common;
using Dapper;
using DuckDB.NET.Data;
using LlmLog.Export;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>The DuckDB CSV recipe of docs/export.md: the schema file's CREATE TABLE, then COPY with ALLOW_QUOTED_NULLS false.</summary>
public sealed class DuckDbCsvRecipeTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task CallsCsvCopiedIntoDuckDbEqualsTheSource(Engine source)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(source);
        var csv = w.Files.Combine("calls.csv");
        ExportFixtures.Export(w, "calls", csv);

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        duck.Execute(File.ReadAllText(w.Files.Combine("calls.sql")));
        duck.Execute($"COPY calls FROM '{csv}' (FORMAT csv, HEADER true, ALLOW_QUOTED_NULLS false)");

        var columns = ExportTable.Named("calls").Columns;
        using var reader = (DbDataReader)duck.ExecuteReader("SELECT * FROM calls");
        ExportFixtures.ShouldEqual(ExportFixtures.Read(reader, columns), ExportFixtures.SourceCalls(w), columns);
        duck.ExecuteScalar<long>("SELECT count(*) FROM calls WHERE request_type = ''").Should().Be(1, "\"\" is an empty string, not NULL");
    }

    [Fact]
    public async Task EveryTableOfTheSampleExportsAsCsvAndParquetThatDuckDbReadsBackWhole()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        LlmLog.Loading.IngestRunner.Run(w.Target, [Generation.GeneratedRecords.RepositoryFile("data/sample-export.json")], ExportFixtures.Ingest);
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();

        foreach (var table in ExportTable.All)
        {
            var expectedRows = w.Scalar<long>($"SELECT count(*) FROM {table.WarehouseTable}");
            expectedRows.Should().BeGreaterThan(0, table.Name);
            var csv = ExportFixtures.Export(w, table.Name, w.Files.Combine(table.Name + ".csv"));
            // Named apart: the files beside an export are named after --out without its extension, so the Parquet
            // export would otherwise take the CSV's manifest (refused since the eleventh session).
            var parquet = ExportFixtures.Export(w, table.Name, w.Files.Combine(table.Name + "-parquet.parquet"), ExportFormat.Parquet);
            csv.Rows.Should().Be(expectedRows, table.Name);
            parquet.Rows.Should().Be(expectedRows, table.Name);

            var name = table.WarehouseTable + "_" + "csv";
            var create = File.ReadAllText(csv.CreateTablePath!).Replace($"CREATE TABLE \"{table.Name}\"", $"CREATE TABLE {name}", StringComparison.Ordinal);
            duck.Execute(create);
            duck.Execute($"COPY {name} FROM '{csv.DataFiles[0].Path}' (FORMAT csv, HEADER true, ALLOW_QUOTED_NULLS false)");
            duck.ExecuteScalar<long>($"SELECT count(*) FROM {name}").Should().Be(expectedRows, table.Name);
            duck.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet('{parquet.DataFiles[0].Path}')").Should().Be(expectedRows, table.Name);
        }
    }
}
