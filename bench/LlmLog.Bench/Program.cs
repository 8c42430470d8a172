using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

// DuckDB's own JSON loader, the baseline for llmlog's DuckDB ingest: the same file into a table.
// Usage: LlmLog.Bench duckdb-read-json FILE DATABASE
if (args is not ["duckdb-read-json", var file, var database])
{
    Console.Error.WriteLine("usage: LlmLog.Bench duckdb-read-json FILE DATABASE");
    return 2;
}
File.Delete(database);
var clock = Stopwatch.StartNew();
using (var connection = new DuckDBConnection($"Data Source={database}"))
{
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "CREATE TABLE raw_calls AS SELECT * FROM read_json($file, format = 'newline_delimited', maximum_object_size = 67108864)";
    command.Parameters.Add(new DuckDBParameter("file", file));
    command.ExecuteNonQuery();
    command.CommandText = "SELECT count(*) FROM raw_calls";
    command.Parameters.Clear();
    var rows = command.ExecuteScalar();
    Console.Error.WriteLine($"read_json loaded {rows} rows");
}
Console.WriteLine(clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
return 0;
