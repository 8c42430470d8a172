using System.Globalization;
using Dapper;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Reliability;

/// <summary>
/// The content of a warehouse as comparable text — every table llmlog fills except the run log — so a
/// run after a crash, a fault or a race can be checked against a clean run of the same input.
/// </summary>
public static class WarehouseState
{
    // Run ids, clocks and the runs table itself differ between two correct runs; everything else must not.
    private static readonly HashSet<string> VaryingColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        "run_id", "refreshed_at", "updated_at", "built_at", "ingested_at", "loaded_at", "priced_at",
    };

    private static readonly HashSet<string> RunLogTables = new(StringComparer.OrdinalIgnoreCase)
    {
        "ingest_runs", "schema_migrations",
    };

    /// <summary>Every data table, sorted rows as text, keyed by table name.</summary>
    /// <param name="w">The warehouse.</param>
    /// <param name="alsoIgnore">Further columns to leave out, e.g. which file a call shared by two files came from.</param>
    public static SortedDictionary<string, List<string>> Of(TestWarehouse w, params string[] alsoIgnore)
    {
        using var warehouse = w.Open();
        return Of(warehouse.Connection, alsoIgnore);
    }

    /// <inheritdoc cref="Of(TestWarehouse, string[])"/>
    public static SortedDictionary<string, List<string>> Of(System.Data.Common.DbConnection db, params string[] alsoIgnore)
    {
        var tables = db.Query<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
            .Where(t => !RunLogTables.Contains(t))
            .ToList();
        var state = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var reader = command.ExecuteReader();
            // The columns compared, in name order, chosen once per table rather than once per row: the calls of a
            // SIGKILL test are read several times a kill, and a Dapper row per call made this most of its time.
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Select(i => (Index: i, Name: reader.GetName(i)))
                .Where(c => !VaryingColumns.Contains(c.Name) && !alsoIgnore.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .ToArray();
            var rows = new List<string>();
            var text = new System.Text.StringBuilder();
            while (reader.Read())
            {
                text.Clear();
                foreach (var (index, name) in columns)
                {
                    if (text.Length > 0) text.Append('|');
                    text.Append(name).Append('=').Append(Format(reader.IsDBNull(index) ? null : reader.GetValue(index)));
                }
                rows.Add(text.ToString());
            }
            rows.Sort(StringComparer.Ordinal);
            state[table] = rows;
        }
        return state;
    }

    /// <summary>
    /// No file is half in the warehouse: every run that counts loaded rows has exactly those rows, every
    /// failed or skipped run has none, and no row belongs to a run that was never recorded.
    /// </summary>
    public static void ShouldHaveNoPartialFile(TestWarehouse w)
    {
        using var warehouse = w.Open();
        var db = warehouse.Connection;
        var mismatched = db.Query<(long, string, long, long)>("""
            SELECT r.run_id, r.status, r.records_loaded, (SELECT count(*) FROM calls c WHERE c.run_id = r.run_id) AS in_calls
            FROM ingest_runs r
            """).Where(r => r.Item3 != r.Item4 || (r.Item2 is "failed" or "skipped" && r.Item4 != 0)).ToList();
        mismatched.Should().BeEmpty("every run's calls must be exactly the rows it says it loaded");
        db.ExecuteScalar<long>("SELECT count(*) FROM calls c WHERE NOT EXISTS (SELECT 1 FROM ingest_runs r WHERE r.run_id = c.run_id)")
            .Should().Be(0, "no call may belong to a run that was never recorded");
        db.ExecuteScalar<long>("SELECT count(*) FROM ingest_runs WHERE records_read <> records_loaded + records_duplicate + records_rejected")
            .Should().Be(0, "records read = loaded + duplicates + rejected for every run");
        db.ExecuteScalar<long>("SELECT count(*) - count(DISTINCT record_id) FROM calls").Should().Be(0, "no call is loaded twice");
    }

    private static string Format(object? value) => value switch
    {
        null => "∅",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        // A sum of doubles depends on the order it is added in, which a parallel aggregate does not fix: 12 digits.
        double x => x.ToString("G12", CultureInfo.InvariantCulture),
        float x => x.ToString("G6", CultureInfo.InvariantCulture),
        decimal x => x.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
