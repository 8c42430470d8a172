using System.Data.Common;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// The COPY options docs/export.md gives, read from it word for word, so that the recipe users copy is the one tested
    /// (the test kept its own copy, and the doc's could have drifted from it unseen).
    /// </summary>
    private static readonly string CopyOptions = DocumentedCopyOptions();

    /// <summary>The calls of <paramref name="w"/> exported to CSV and loaded into a new DuckDB database as docs/export.md says.</summary>
    private static DuckDBConnection CallsCopiedAsDocumented(TestWarehouse w)
    {
        var csv = w.Files.Combine("calls.csv");
        ExportFixtures.Export(w, "calls", csv);
        var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        duck.Execute(File.ReadAllText(w.Files.Combine("calls.sql")));
        duck.Execute($"COPY calls FROM '{csv}' {CopyOptions}");
        return duck;
    }

    private static string DocumentedCopyOptions()
    {
        const string start = "COPY calls FROM 'calls.csv' ";
        var line = File.ReadLines(LlmLog.Tests.Generation.GeneratedRecords.RepositoryFile(Path.Combine("docs", "export.md")))
            .Single(l => l.StartsWith(start, StringComparison.Ordinal));
        return line[start.Length..].TrimEnd(';');
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task CallsCsvCopiedIntoDuckDbEqualsTheSource(Engine source)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(source);
        using var duck = CallsCopiedAsDocumented(w);

        var columns = ExportTable.Named("calls").Columns;
        using var reader = (DbDataReader)duck.ExecuteReader("SELECT * FROM calls");
        ExportFixtures.ShouldEqual(ExportFixtures.Read(reader, columns), ExportFixtures.SourceCalls(w), columns);
        duck.ExecuteScalar<long>("SELECT count(*) FROM calls WHERE request_type = ''").Should().Be(1, "\"\" is an empty string, not NULL");
    }

    // Bug: the documented COPY left the quote to DuckDB's sniffer, which took ' for it after 3,000 generated calls and
    // split a last id holding "" and a comma: "Could not convert string "missing_usage" to 'BOOLEAN'" (found by probing
    // the export's loads). The recipe now names the quote and its escape, as the read_csv one does.
    [Fact]
    public async Task TheDocumentedCopyLoadsAQuotedCommaAfterThousandsOfRowsWithout()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var generated = w.Files.File("gen.jsonl", System.Text.Encoding.UTF8.GetString(LlmLog.Tests.Generation.GeneratedRecords.Bytes(
            new LlmLog.Generation.CallLogGeneratorOptions { Count = 3000, Seed = 1, Format = LlmLog.Generation.CallLogFormat.JsonLines })));
        var hostile = w.Files.File("h.jsonl", "{\"id\":\"q\\\"uote,comma\",\"created\":\"2025-03-01T10:00:00Z\",\"model\":\"gpt-4o\"}\n");
        LlmLog.Loading.IngestRunner.Run(w.Target, [generated, hostile], ExportFixtures.Ingest).Loaded.Should().Be(3001);

        using var duck = CallsCopiedAsDocumented(w);

        duck.ExecuteScalar<long>("SELECT count(*) FROM calls").Should().Be(3001);
        duck.ExecuteScalar<long>("SELECT count(*) FROM calls WHERE record_id = 'q\"uote,comma'").Should().Be(1);
    }

    // Bug: the Snowflake recipe quoted "calls", as calls.sql once named it, after calls.sql had come to create calls
    // unquoted, which Snowflake folds to CALLS: every statement named a table that did not exist (found by probing the
    // export's loads). The recipe names the table as calls.sql creates it.
    [Fact]
    public async Task TheSnowflakeRecipeNamesTheTableAsCallsSqlCreatesIt()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("calls.jsonl", Some.JsonLines([Some.Call()]))], ExportFixtures.Ingest);
        ExportFixtures.Export(w, "calls", w.Files.Combine("calls.csv"));
        var doc = File.ReadAllText(LlmLog.Tests.Generation.GeneratedRecords.RepositoryFile(Path.Combine("docs", "export.md")));
        var snowflake = doc[doc.IndexOf("### Snowflake", StringComparison.Ordinal)..doc.IndexOf("### ClickHouse", StringComparison.Ordinal)];

        File.ReadAllText(w.Files.Combine("calls.sql")).Should().Contain("CREATE TABLE calls (");
        snowflake.Should().Contain("COPY INTO calls FROM @%calls").And.NotContain("\"calls\" FROM");
    }

    // docs/export.md's read_csv options, on a partitioned tree whose first file holds no quoted field. A probe saw
    // DuckDB guess from such a file that there is no quote character, then fail on a later quoted line break ("CSV Error
    // on Line: 4"); this test's DuckDB guessed right without the options, so they are documented to make the guess moot.
    [Fact]
    public async Task APartitionedCsvTreeReadWithTheDocumentedReadCsvOptionsEqualsTheSource()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var plain = Some.Call("1970-01-01 00:00:00");
        plain["metrics"]!["tokens"] = 1; // flagged, so its flags are not the quoted "" of an unflagged call: no quote in its file
        var broken = Some.Call("2025-03-01 12:30:00");
        broken["id"] = "new\nline";
        var others = Enumerable.Range(1, 4).Select(i => (JsonNode?)Some.Call($"2025-03-01 1{i}:00:00"));
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("calls.jsonl", Some.JsonLines([plain, broken, .. others]))], ExportFixtures.Ingest);
        var lake = w.Files.Combine("lake");
        ExportFixtures.Export(w, "calls", lake, partition: true);

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        var ids = duck.Query<string>($$"""
            SELECT record_id FROM read_csv('{{lake}}/*/*.csv', header = true, quote = '"', escape = '"', allow_quoted_nulls = false, max_line_size = 67108864,
              hive_partitioning = true, types = {'model_version': 'VARCHAR'}) ORDER BY record_id
            """).ToList();

        ids.Should().Equal(w.Query<string>("SELECT record_id FROM calls ORDER BY record_id"));
        ids.Should().Contain("new\nline");
    }

    // Found by review: once NAME.sql named the warehouse table, a tree's .sql created calls without its day, which the
    // files leave to their folders, so loading the tree into that table lost the day of every row.
    [Fact]
    public async Task ATreeSCreateTableKeepsTheDayItsFoldersCarry()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var calls = Enumerable.Range(0, 6).Select(i => (JsonNode?)Some.Call($"2025-03-0{1 + i % 3} 1{i}:00:00")).ToList();
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("calls.jsonl", Some.JsonLines(calls))], ExportFixtures.Ingest);
        var lake = w.Files.Combine("lake");
        ExportFixtures.Export(w, "calls", lake, ExportFormat.Parquet, partition: true);

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        duck.Execute(File.ReadAllText(lake + ".sql"));
        duck.Execute($"INSERT INTO calls BY NAME SELECT * FROM read_parquet('{lake}/*/*.parquet', hive_partitioning = true)");

        duck.Query<string>("SELECT strftime(day, '%Y-%m-%d') || ' ' || count(*) FROM calls GROUP BY day ORDER BY day").Should()
            .Equal("2025-03-01 2", "2025-03-02 2", "2025-03-03 2");
    }

    // A reject's raw is the bad record as it came: one of 2.4 MB failed the documented COPY, DuckDB's rows being limited
    // to 2,000,000 bytes unless told otherwise (found by probing the export).
    [Fact]
    public async Task ARejectOfSeveralMegabytesLoadsThroughTheDocumentedCopy()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var big = Some.Call("2025-03-01 12:00:00");
        big["model"] = 5;
        big["input"] = new string('x', 3_000_000);
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("calls.jsonl", Some.JsonLines([big, Some.Call("2025-03-01 13:00:00")]))], ExportFixtures.Ingest);
        var csv = ExportFixtures.Export(w, "rejects", w.Files.Combine("rejects.csv"));

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        duck.Execute(File.ReadAllText(csv.CreateTablePath!));
        duck.Execute($"COPY rejects FROM '{csv.DataFiles[0].Path}' {CopyOptions}");

        duck.ExecuteScalar<long>("SELECT max(length(raw)) FROM rejects").Should().BeGreaterThan(3_000_000);
    }

    [Fact]
    public async Task EveryTableOfTheSampleExportsAsCsvAndParquetThatDuckDbReadsBackWhole()
    {
        using var w = await ExportFixtures.SampleWarehouseAsync(Engine.DuckDb);
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
            var create = File.ReadAllText(csv.CreateTablePath!).Replace($"CREATE TABLE {table.WarehouseTable} ", $"CREATE TABLE {name} ", StringComparison.Ordinal);
            duck.Execute(create);
            duck.Execute($"COPY {name} FROM '{csv.DataFiles[0].Path}' {CopyOptions}");
            duck.ExecuteScalar<long>($"SELECT count(*) FROM {name}").Should().Be(expectedRows, table.Name);
            duck.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet('{parquet.DataFiles[0].Path}')").Should().Be(expectedRows, table.Name);
        }
    }
}
