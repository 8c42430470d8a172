using System.Data.Common;
using Dapper;
using DuckDB.NET.Data;
using LlmLog.Export;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>Parquet exports read back by DuckDB in-process, as one file and as a Hive-partitioned tree, equal the source.</summary>
public sealed class ParquetReadBackTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    private static readonly IReadOnlyList<ExportColumn> CallColumns = ExportTable.Named("calls").Columns;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task CallsParquetReadByDuckDbEqualsTheSource(Engine source)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(source);
        var file = w.Files.Combine("calls.parquet");
        ExportFixtures.Export(w, "calls", file, ExportFormat.Parquet);

        var actual = ReadParquet($"SELECT * FROM read_parquet('{file}')");

        ExportFixtures.ShouldEqual(actual, ExportFixtures.SourceCalls(w), CallColumns);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task PartitionedTreeReadWithHivePartitioningEqualsTheSource(Engine source)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(source);
        var root = w.Files.Combine("calls");
        var result = ExportFixtures.Export(w, "calls", root, ExportFormat.Parquet, partition: true);

        var days = ExportFixtures.SourceCalls(w).Select(r => (DateOnly)r[2]!).Distinct().Order().ToList();
        result.DataFiles.Select(f => Path.GetRelativePath(root, f.Path)).Should().Equal(days.Select(d => Path.Combine($"day={d:yyyy-MM-dd}", "part-00000.parquet")));
        var actual = ReadParquet($"SELECT * FROM read_parquet('{root}/*/*.parquet', hive_partitioning = true)");

        ExportFixtures.ShouldEqual(actual, ExportFixtures.SourceCalls(w), CallColumns);
    }

    [Fact]
    public async Task ParquetColumnsAreTyped()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var file = w.Files.Combine("calls.parquet");
        ExportFixtures.Export(w, "calls", file, ExportFormat.Parquet);

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        var types = duck.Query<(string column_name, string column_type)>($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{file}'))")
            .ToDictionary(t => t.column_name, t => t.column_type);

        types["created_at"].Should().Be("TIMESTAMP WITH TIME ZONE");
        types["day"].Should().Be("DATE");
        types["max_tokens"].Should().Be("BIGINT");
        types["latency_s"].Should().Be("DOUBLE");
        types["stream"].Should().Be("BOOLEAN");
        types["model"].Should().Be("VARCHAR");
        duck.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet('{file}') WHERE max_tokens IS NULL").Should().Be(1, "NULL stays NULL, not 0");
    }

    // Bug: every column of a Parquet file was optional, where NAME.sql and NAME.schema.json say NOT NULL / REQUIRED, and
    // BigQuery refuses to append optional columns to a table made from that schema (found by probing the export's loads).
    [Fact]
    public async Task AColumnThatIsNeverNullInTheWarehouseIsRequiredInTheParquetFileOfEveryTable()
    {
        using var w = await ExportFixtures.SampleWarehouseAsync(Engine.DuckDb);
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();

        foreach (var table in ExportTable.All)
        {
            var file = w.Files.Combine(table.Name + ".parquet");
            var export = ExportFixtures.Export(w, table.Name, file, ExportFormat.Parquet);
            var modes = duck.Query<(string name, string repetition_type)>($"SELECT name, repetition_type FROM parquet_schema('{file}') WHERE num_children IS NULL")
                .ToDictionary(c => c.name, c => c.repetition_type);

            modes.Should().Equal(table.Columns.ToDictionary(c => c.Name, c => c.Nullable ? "OPTIONAL" : "REQUIRED"), table.Name);
            duck.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet('{file}')").Should().Be(export.Rows, table.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task MartParquetFilesEqualTheirMarts(Engine source)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(source);
        foreach (var table in new[] { "daily", "daily-model", "hourly" })
        {
            var export = ExportTable.Named(table);
            var file = w.Files.Combine(table + ".parquet");
            ExportFixtures.Export(w, table, file, ExportFormat.Parquet);

            var expected = ExportFixtures.MartRows(w, export);
            using var duck = new DuckDBConnection("Data Source=:memory:");
            duck.Open();
            using var parquet = (DbDataReader)duck.ExecuteReader($"SELECT * FROM read_parquet('{file}')");

            ExportFixtures.ShouldEqual(ExportFixtures.Read(parquet, export.Columns), expected, export.Columns);
        }
    }

    private static List<object?[]> ReadParquet(string sql)
    {
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var reader = (DbDataReader)duck.ExecuteReader(sql);
        return ExportFixtures.Read(reader, CallColumns);
    }
}
