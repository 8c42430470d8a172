using System.Text.RegularExpressions;
using Dapper;

namespace LlmLog.Warehouse;

/// <summary>
/// Where a new warehouse is created: the schema PostgreSQL's <c>search_path</c> chooses (DuckDB's <c>main</c>), which
/// must exist and must not hold another application's tables of the names llmlog uses.
/// </summary>
public static partial class WarehouseSchema
{
    /// <summary>
    /// The schema a new warehouse goes into. Stops with <see cref="ExitCode.DatabaseMissing"/> when the first schema
    /// search_path names does not exist: PostgreSQL would otherwise create in the next one (public) or fail with "no
    /// schema has been selected to create in".
    /// </summary>
    public static string CreationSchema(WarehouseConnection warehouse)
    {
        if (warehouse.Engine != Engine.Postgres) return "main";
        var path = warehouse.Connection.QuerySingle<SearchPathRow>(warehouse.Sql.Get("warehouse/search_path"));
        var named = FirstNamed(path.SearchPath);
        if (warehouse.Target.Schema is { } chosen && !path.Existing.Contains(chosen, StringComparer.Ordinal))
        {
            RefuseUnusable(warehouse, path, chosen, warehouse.Target.SchemaSource ?? "--schema");
            throw new LlmLogException(ExitCode.DatabaseMissing,
                $"{warehouse.Target.Display}: schema {Quote(chosen)}, named by {warehouse.Target.SchemaSource}, does not exist in this database (llmlog does not create schemas); " +
                $"create it (CREATE SCHEMA {AsSql(warehouse, chosen)} AUTHORIZATION <the role llmlog runs as>), or fix {warehouse.Target.SchemaSource} (the schema's exact name, case included)");
        }
        if (named is not null && !path.Existing.Contains(named, StringComparer.Ordinal))
        {
            RefuseUnusable(warehouse, path, named, "search_path");
            var instead = path.Current is null ? "" : $", so PostgreSQL would create the warehouse in schema {path.Current} instead";
            throw new LlmLogException(ExitCode.DatabaseMissing,
                $"{warehouse.Target.Display}: search_path names schema {named}, which does not exist in this database{instead}; " +
                $"create it (CREATE SCHEMA {AsSql(warehouse, named)} AUTHORIZATION <the role llmlog runs as>), or name the warehouse's schema with --schema instead (or fix search_path: options in --db, or PGOPTIONS)");
        }
        if (path.Current is null)
        {
            // search_path = '' (SET for the database or role) read "names schema , which does not exist; CREATE SCHEMA """
            // (found by probing PostgreSQL as DBAs run it).
            var what = Names(path.SearchPath).All(n => n.Length == 0) ? "search_path is empty (set so for this database or role, or in --db's options or PGOPTIONS)"
                : $"search_path ({path.SearchPath}) names no schema that exists in this database";
            throw new LlmLogException(ExitCode.DatabaseMissing,
                $"{warehouse.Target.Display}: {what}; name one with --schema llm (or options=-c search_path=llm in --db, or PGOPTIONS)");
        }
        return path.Current;
    }

    // A schema the role lacks USAGE on is left out of the search path as if it did not exist: a reader was told to create
    // the warehouse's schema, which its owner had made (found by probing the docs). It needs a GRANT instead.
    private static void RefuseUnusable(WarehouseConnection warehouse, SearchPathRow path, string schema, string source)
    {
        if (!path.Unusable.Contains(schema, StringComparer.Ordinal)) return;
        throw new LlmLogException(ExitCode.ReadOnly,
            $"{warehouse.Target.Display}: schema {Quote(schema)}, named by {source}, exists, but the role llmlog runs as lacks USAGE on it; "
            + $"have the schema's owner run GRANT USAGE ON SCHEMA {AsSql(warehouse, schema)} TO <that role> (and GRANT SELECT ON ALL TABLES IN SCHEMA {AsSql(warehouse, schema)} for a reader)");
    }

    /// <summary>
    /// Stops with <see cref="ExitCode.OccupiedSchema"/> when <paramref name="schema"/> already holds tables named as
    /// llmlog's: CREATE TABLE IF NOT EXISTS skipped another application's <c>calls</c>, and the next migration failed
    /// on it (exit 4) after the first had put llmlog's other tables beside it, or would have altered and filled it.
    /// </summary>
    /// <param name="warehouse">A warehouse none of whose migrations has been applied.</param>
    /// <param name="schema">Where its tables would go.</param>
    /// <param name="ledger">Whether llmlog's own (empty) ledger is there already; else a <c>schema_migrations</c> there is another's.</param>
    public static void RefuseTablesInTheWay(WarehouseConnection warehouse, string schema, bool ledger)
    {
        var taken = TablesInTheWay(warehouse, ledger);
        if (taken.Count == 0) return;
        // A DuckDB file has one schema, and --schema is PostgreSQL's: a file of another tool's got the advice to create a
        // schema in it (found by the thirtieth session's probe of the report).
        var instead = warehouse.Engine == Engine.Postgres
            ? "give the warehouse a schema of its own (CREATE SCHEMA llm, then --schema llm; or search_path=llm in --db's options or PGOPTIONS) or a database of its own"
            : "give llmlog a DuckDB file of its own (--db, default ./llmlog.duckdb)";
        var refusal = new LlmLogException(ExitCode.OccupiedSchema,
            $"{warehouse.Target.Display}: {(warehouse.Engine == Engine.Postgres ? $"schema {schema}" : "the file")} already holds {string.Join(", ", taken)}, which llmlog did not create; "
            + $"it writes nothing into another application's tables: {instead}");
        refusal.Data[TakenKey] = taken;
        throw refusal;
    }

    // Where RefuseTablesInTheWay's refusal keeps the tables it names, for a command that only reads to word it as such.
    private const string TakenKey = "llmlog.tables-in-the-way";

    /// <summary>
    /// For a command that only reads: <paramref name="e"/>, a refusal of another application's tables in the way, worded
    /// as a warehouse that is not there (<see cref="ExitCode.NoData"/>), since "run 'llmlog ingest' into it" would lead to
    /// that refusal; else null.
    /// </summary>
    public static LlmLogException? AsNoWarehouse(DatabaseTarget target, LlmLogException e) =>
        e.Code == ExitCode.OccupiedSchema && e.Data[TakenKey] is IReadOnlyList<string> taken ? HoldsNoWarehouse(target, null, taken, e) : null;

    /// <summary>
    /// The refusal of a read of <paramref name="target"/>, which holds no llmlog warehouse (in <paramref name="schema"/>, on
    /// PostgreSQL) but another application's tables of llmlog's names, <paramref name="taken"/>.
    /// </summary>
    public static LlmLogException HoldsNoWarehouse(DatabaseTarget target, string? schema, IReadOnlyList<string> taken, Exception? inner = null)
    {
        var theirs = $"its {(taken.Count == 1 ? "table" : "tables")} {string.Join(", ", taken)} {(taken.Count == 1 ? "is" : "are")} another application's, not llmlog's";
        return new LlmLogException(ExitCode.NoData, target.Engine == Engine.Postgres
            ? $"{target.Display} holds no llmlog warehouse in schema {schema}: {theirs}; check --db and --schema (or search_path), and give an llmlog warehouse a schema of its own"
            : $"{target.Display} holds no llmlog warehouse: {theirs}; check --db (default ./llmlog.duckdb), and give an llmlog warehouse a file of its own", inner);
    }

    /// <summary>
    /// The tables of the warehouse's schema named as llmlog's that llmlog did not create (<paramref name="ledger"/>: whether
    /// llmlog's own ledger is there, else a <c>schema_migrations</c> there is another's).
    /// </summary>
    public static IReadOnlyList<string> TablesInTheWay(WarehouseConnection warehouse, bool ledger)
    {
        var names = warehouse.Sql.List("migrations")
            .SelectMany(m => CreatedTable().Matches(warehouse.Sql.Get(m)).Select(t => t.Groups["name"].Value.ToLowerInvariant()))
            .Append(ledger ? null : "schema_migrations")
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToHashSet(StringComparer.Ordinal);
        return warehouse.Connection.Query<string>(warehouse.Sql.Get("warehouse/tables_in_schema")).Where(names.Contains).ToList();
    }

    // The first schema search_path names that must exist: "$user" (taken only when the role has a schema of its name),
    // pg_catalog and pg_temp are skipped.
    internal static string? FirstNamed(string searchPath) =>
        Names(searchPath).FirstOrDefault(s => s is not ("$user" or "pg_catalog" or "pg_temp" or ""));

    /// <summary>
    /// The schemas a search_path names, in order, as PostgreSQL reads them: unquoted names folded to lower case, quoted
    /// ones ("My Schema") exact, a comma inside quotes part of the name.
    /// </summary>
    internal static IReadOnlyList<string> Names(string searchPath)
    {
        var names = new List<string>();
        var i = 0;
        while (i < searchPath.Length)
        {
            while (i < searchPath.Length && (char.IsWhiteSpace(searchPath[i]) || searchPath[i] == ',')) i++;
            if (i >= searchPath.Length) break;
            var name = new System.Text.StringBuilder();
            if (searchPath[i] == '"')
            {
                for (i++; i < searchPath.Length; i++)
                {
                    if (searchPath[i] != '"') name.Append(searchPath[i]);
                    else if (i + 1 < searchPath.Length && searchPath[i + 1] == '"') name.Append(searchPath[++i]);
                    else break;
                }
                i++;
                names.Add(name.ToString());
            }
            else
            {
                while (i < searchPath.Length && searchPath[i] != ',') name.Append(searchPath[i++]);
                names.Add(name.ToString().Trim().ToLowerInvariant());
            }
            while (i < searchPath.Length && searchPath[i] != ',') i++;
        }
        return names;
    }

    /// <summary>
    /// A schema's name as the statements a message suggests must write it, as the server quotes it: a reserved word
    /// (<c>user</c>, <c>order</c>) in double quotes too, which <see cref="Quote"/> cannot tell (the suggested
    /// <c>CREATE SCHEMA user</c> was a syntax error). <see cref="Quote"/>'s form when the server cannot be asked.
    /// </summary>
    internal static string AsSql(WarehouseConnection warehouse, string name)
    {
        try
        {
            return warehouse.Connection.ExecuteScalar<string>(warehouse.Sql.Get("warehouse/quote_ident"), new { name }) ?? Quote(name);
        }
        catch (Npgsql.NpgsqlException)
        {
            return Quote(name);
        }
    }

    /// <summary>A schema's name as SQL writes it: as is when PostgreSQL would not fold or split it, else in double quotes.</summary>
    internal static string Quote(string name) => Regex.IsMatch(name, "^[a-z_][a-z0-9_]*$") ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>\w+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreatedTable();

    private sealed class SearchPathRow
    {
        public string SearchPath { get; set; } = "";

        public string[] Existing { get; set; } = [];

        public string? Current { get; set; }

        public string[] Unusable { get; set; } = [];
    }
}
