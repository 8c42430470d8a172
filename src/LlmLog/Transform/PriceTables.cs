using System.Data.Common;
using Dapper;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Transform;

/// <summary>The price table in force: which file, named by the SHA-256 of its bytes.</summary>
public sealed record PriceTableInfo(string Sha256, string SourcePath, long Rows, DateTime LoadedAt);

/// <summary>
/// Loads price tables into the warehouse (<c>price_tables</c>, <c>model_prices</c>) and says which one is in
/// force. The table shipped beside the executable is loaded on first use.
/// </summary>
public static class PriceTables
{
    /// <summary>The price table shipped with llmlog, in <c>data/</c> beside the executable.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "model-prices.csv");

    /// <summary>
    /// The SHA-256 of every <c>data/model-prices.csv</c> llmlog has shipped, oldest first; the last is the one it ships
    /// now (a test holds it so). A table in force that is one of them came with an llmlog; any other is a user's own,
    /// whatever its file is called.
    /// </summary>
    public static readonly IReadOnlyList<string> ShippedSha256s =
    [
        "5c52182fdb0542948b06cb217c96c63cc9eabc332e8e521ed2b09e9ae0b60292", // 2026-11-22
        "e46dc66ca06469c2749962e85db0904323de06df55e47854d8301c2670fe6b52", // 2026-12-04: o1-pro's own row
    ];

    /// <summary>
    /// Loads the shipped table when the warehouse has never had one; a user's table is never replaced. Within
    /// <paramref name="within"/>, the caller's transaction, the load stands or falls with it: a dry run rolls it back
    /// (it committed on its own, and a "dry run" left the shipped table in force, found by probing transform).
    /// </summary>
    public static void EnsureLoaded(WarehouseConnection warehouse, string? defaultPath = null, DbTransaction? within = null)
    {
        var db = warehouse.Connection;
        var path = defaultPath ?? DefaultPath;
        if (db.ExecuteScalar<long>(warehouse.Sql.Get("prices/count_price_tables"), transaction: within) > 0)
        {
            WarnOfANewerShippedTable(warehouse, path);
            return;
        }
        if (!File.Exists(path))
        {
            Log.Warning("No price table is loaded and {Path} is missing; costs stay unknown (use llmlog transform --prices FILE)", path);
            return;
        }
        if (ReadShipped(path, "no price table is loaded, so costs stay unknown (use llmlog transform --prices FILE)") is not { } table) return;
        if (within is not null)
        {
            Load(warehouse, path, table, within);
            return;
        }
        using var tx = db.BeginTransaction();
        var loaded = Load(warehouse, path, table, tx);
        tx.Commit();
        LogInForce(loaded);
    }

    // The shipped table is llmlog's own file: damaged, it says so and costs wait, as when it is missing, rather than
    // stopping every ingest, summary, report and export with an input error about a file the user never named
    // (found by probing the exit codes).
    private static (IReadOnlyList<ModelPrice> Rows, string Sha256)? ReadShipped(string path, string consequence)
    {
        try
        {
            return PriceFile.Read(path);
        }
        catch (LlmLogException e) when (e.Code == ExitCode.InputError)
        {
            Log.Warning("The price table shipped with llmlog cannot be read ({Reason}); " + consequence, e.Message);
            return null;
        }
    }

    // The table in force came with an llmlog, this llmlog ships another, and it was never loaded here: an upgrade's
    // price fixes (o1-pro had o1's row, a tenth of its price) do not reach a warehouse on their own, since a table in
    // force is never replaced without being asked (found by probing an upgrade). Known by its bytes, not its name: a
    // user's own table saved as model-prices.csv was warned of on every run, with advice that would replace it.
    private static void WarnOfANewerShippedTable(WarehouseConnection warehouse, string shippedPath)
    {
        if (InForce(warehouse) is not { } inForce || !File.Exists(shippedPath)) return;
        if (!ShippedSha256s.Contains(inForce.Sha256, StringComparer.Ordinal)) return;
        if (ReadShipped(shippedPath, "the table in force is used") is not (_, var shipped) || shipped == inForce.Sha256) return;
        if (warehouse.Connection.ExecuteScalar<long>(warehouse.Sql.Get("prices/find_price_table"), new { price_table_sha256 = shipped }) > 0) return;
        Log.Warning("The price table shipped with this llmlog, {Shipped}, differs from the one in force ({InForce}, sha256 {Sha}); "
            + "'llmlog transform --prices' with the shipped file puts it in force for days not built yet, and adding '--reprice' reprices the days already built",
            shippedPath, inForce.SourcePath, inForce.Sha256[..12]);
    }

    /// <summary>Puts the table in <paramref name="path"/> in force (inside <paramref name="tx"/>); returns what is now in force.</summary>
    public static PriceTableInfo Load(WarehouseConnection warehouse, string path, DbTransaction tx) =>
        Load(warehouse, path, PriceFile.Read(path), tx);

    /// <summary>Puts <paramref name="table"/>, read from <paramref name="path"/>, in force (inside <paramref name="tx"/>).</summary>
    public static PriceTableInfo Load(WarehouseConnection warehouse, string path, (IReadOnlyList<ModelPrice> Rows, string Sha256) table, DbTransaction tx)
    {
        var (rows, sha) = table;
        var db = warehouse.Connection;
        var sql = warehouse.Sql;
        var full = path == PriceFile.StandardInput ? "<stdin>" : Path.GetFullPath(path);
        var loadedAt = Clock.UtcNowUnspecified();
        db.Execute(sql.Get("prices/retire_price_tables"), transaction: tx);
        if (db.ExecuteScalar<long>(sql.Get("prices/find_price_table"), new { price_table_sha256 = sha }, tx) > 0)
        {
            db.Execute(sql.Get("prices/reinstate_price_table"), new { price_table_sha256 = sha, source_path = full, loaded_at = loadedAt }, tx);
        }
        else
        {
            db.Execute(sql.Get("prices/insert_price_table"), new { price_table_sha256 = sha, source_path = full, price_rows = (long)rows.Count, loaded_at = loadedAt }, tx);
            // A price table has tens of rows, not millions: plain parameterised inserts are the clear choice here.
            foreach (var row in rows)
            {
                db.Execute(sql.Get("prices/insert_model_price"), new
                {
                    price_table_sha256 = sha,
                    line_number = row.LineNumber,
                    model_match = row.ModelMatch,
                    match_type = row.MatchType,
                    input_per_1m_usd = row.InputPer1MUsd,
                    cached_input_per_1m_usd = row.CachedInputPer1MUsd,
                    output_per_1m_usd = row.OutputPer1MUsd,
                    valid_from = row.ValidFrom.ToDateTime(TimeOnly.MinValue),
                    valid_to = row.ValidTo?.ToDateTime(TimeOnly.MinValue),
                    source = row.Source,
                }, tx);
            }
        }
        // Said by the caller once its transaction commits: a dry run or an interrupted transform rolled the table back
        // after the log had called it in force (found by probing the CLI).
        return new PriceTableInfo(sha, full, rows.Count, loadedAt);
    }

    /// <summary>Logs that a table loaded by <see cref="Load(WarehouseConnection, string, DbTransaction)"/> is in force, once its transaction committed.</summary>
    public static void LogInForce(PriceTableInfo table) =>
        Log.Information("Price table {Path} ({Rows:N0} " + Counting.Noun(table.Rows, "row") + ", sha256 {Sha}) is in force", table.SourcePath, table.Rows, table.Sha256);

    /// <summary>The table in force, or null when none was ever loaded.</summary>
    public static PriceTableInfo? InForce(WarehouseConnection warehouse, DbTransaction? tx = null) =>
        warehouse.Connection.Query<PriceTableRow>(warehouse.Sql.Get("prices/price_table_in_force"), transaction: tx)
            .Select(r => new PriceTableInfo(r.price_table_sha256, r.source_path, r.price_rows, r.loaded_at))
            .SingleOrDefault();

    /// <summary>
    /// The price tables that priced the calls created in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) of
    /// <paramref name="model"/> ("" for all), the local days of <paramref name="zone"/> that a summary, report or export
    /// selects: from the per-UTC-day mart where UTC days of all models are asked for, else from each call's cost.
    /// </summary>
    public static IReadOnlyList<PriceTableUsed> Used(WarehouseConnection warehouse, TimeZoneInfo zone, DateTime fromUtc, DateTime toUtc, string model,
        DbTransaction? tx = null, bool fromCalls = false)
    {
        // toUtc is excluded: in UTC it is the midnight after the last day selected, not a day of the selection.
        var rows = DailyMetricsReader.IsUtc(zone) && model.Length == 0 && !fromCalls
            ? warehouse.Connection.Query<PriceRow>(warehouse.Sql.Get("metrics/price_tables_used"),
                new { from_day = fromUtc.Date, to_day = toUtc.AddTicks(-1).Date }, tx)
            : warehouse.Connection.Query<PriceRow>(warehouse.Sql.Get("metrics/price_tables_used_from_calls"),
                new { from_utc = fromUtc, to_utc = toUtc, model }, tx);
        return rows.Select(r => new PriceTableUsed(r.price_table_sha256, r.source_path, r.in_force, r.priced_calls)).ToList();
    }

    // Dapper maps by column name; the snake_case names match the SQL.
#pragma warning disable IDE1006, CA1812
    private sealed record PriceTableRow(string price_table_sha256, string source_path, long price_rows, DateTime loaded_at);

    private sealed record PriceRow(string price_table_sha256, string source_path, bool in_force, long priced_calls);
#pragma warning restore IDE1006, CA1812
}
