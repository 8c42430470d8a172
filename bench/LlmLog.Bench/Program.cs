using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

// The baselines the benchmark holds llmlog against, where no DuckDB command-line tool is installed:
//   duckdb-read-json FILE DATABASE        DuckDB's own JSON loader: the same file into a table (timed)
//   duckdb-export-calls WAREHOUSE PARQUET llmlog's loaded calls table, flattened, to a Parquet file (not timed)
//   duckdb-insert-calls PARQUET DATABASE  DuckDB alone writing those rows into an empty table in one
//                                         transaction: the least any DuckDB load of them can cost (timed)
// Each prints its seconds on standard output.
switch (args)
{
    case ["duckdb-read-json", var file, var database]:
        File.Delete(database);
        return Timed(database, "read_json loaded", ("CREATE TABLE raw_calls AS SELECT * FROM read_json($file, format = 'newline_delimited', maximum_object_size = 67108864)", file), ("SELECT count(*) FROM raw_calls", null));
    case ["duckdb-export-calls", var warehouse, var parquet]:
        File.Delete(parquet);
        return Timed(warehouse, "exported", ("COPY calls TO '" + parquet.Replace("'", "''", StringComparison.Ordinal) + "' (FORMAT parquet, COMPRESSION uncompressed)", null), ("SELECT count(*) FROM calls", null));
    case ["duckdb-insert-calls", var parquet, var database]:
        File.Delete(database);
        return Timed(database, "inserted",
            ("CREATE TABLE calls AS SELECT * FROM read_parquet($file) LIMIT 0", parquet),
            ("BEGIN TRANSACTION", null),
            ("INSERT INTO calls SELECT * FROM read_parquet($file)", parquet),
            ("COMMIT", null),
            ("SELECT count(*) FROM calls", null));
    default:
        Console.Error.WriteLine("usage: LlmLog.Bench duckdb-read-json FILE DATABASE | duckdb-export-calls WAREHOUSE PARQUET | duckdb-insert-calls PARQUET DATABASE");
        return 2;
}

// Runs the statements in order on one connection; the last one's single value is the row count reported.
static int Timed(string database, string what, params (string Sql, string? File)[] statements)
{
    var clock = Stopwatch.StartNew();
    using (var connection = new DuckDBConnection($"Data Source={database}"))
    {
        connection.Open();
        object? last = null;
        foreach (var (sql, file) in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (file is not null) command.Parameters.Add(new DuckDBParameter("file", file));
            last = command.ExecuteScalar();
        }
        Console.Error.WriteLine($"{what} {last} rows");
    }
    Console.WriteLine(clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
    return 0;
}
