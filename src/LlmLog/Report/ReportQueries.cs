using System.Data;
using System.Globalization;
using Dapper;
using LlmLog.Warehouse;

namespace LlmLog.Report;

/// <summary>
/// Reads what a report needs from the warehouse, through the SQL in <c>sql/report/</c>. Per-day figures are
/// built from the call rows because a report in a non-UTC zone must re-bucket days; cost comes from the
/// transform's <c>daily_model_metrics</c> mart, and only when that mart exists.
/// </summary>
public sealed class ReportQueries(WarehouseConnection db)
{
    private const int TopRejectReasons = 10;

    public IReadOnlyList<CallFact> Calls(ReportSelection s)
    {
        var list = new List<CallFact>();
        using var reader = db.Connection.ExecuteReader(db.Sql.Get("report/calls"), CallParameters(s));
        while (reader.Read())
        {
            list.Add(new CallFact
            {
                CreatedAt = reader.GetDateTime(0),
                Model = reader.GetString(1),
                Stream = Bool(reader, 2),
                RequestType = reader.IsDBNull(3) ? null : reader.GetString(3),
                MaxTokens = Long(reader, 4),
                Temperature = Double(reader, 5),
                LatencyS = Double(reader, 6),
                TtftS = Double(reader, 7),
                PromptTokens = Long(reader, 8),
                CompletionTokens = Long(reader, 9),
                TotalTokens = Long(reader, 10),
                OutputTokensPerS = Double(reader, 11),
                HitMaxTokens = Bool(reader, 12),
                LoggedCostUsd = Double(reader, 13),
                Flags = reader.IsDBNull(14) ? "" : reader.GetString(14),
                FlagMissingUsage = Bool(reader, 15) ?? false,
                HasStartEnd = Bool(reader, 16) ?? false,
                RunId = Long(reader, 17) ?? 0,
            });
        }
        return list;
    }

    public IReadOnlyList<IngestRunRow> IngestRuns(ReportSelection s)
    {
        var rows = new List<IngestRunRow>();
        using var reader = db.Connection.ExecuteReader(db.Sql.Get("report/ingest_runs"), DayParameters(s));
        while (reader.Read())
        {
            rows.Add(new IngestRunRow(Long(reader, 0) ?? 0, reader.GetString(1), reader.GetDateTime(2), reader.GetString(3),
                Long(reader, 4) ?? 0, Long(reader, 5) ?? 0, Long(reader, 6) ?? 0, Long(reader, 7) ?? 0, Long(reader, 8) ?? 0));
        }
        return rows;
    }

    public IReadOnlyList<RejectReasonRow> RejectReasons(ReportSelection s)
    {
        var rows = new List<RejectReasonRow>();
        var p = DayParameters(s);
        p.Add("top", TopRejectReasons);
        using var reader = db.Connection.ExecuteReader(db.Sql.Get("report/reject_reasons"), p);
        while (reader.Read()) rows.Add(new RejectReasonRow(reader.GetString(0), Long(reader, 1) ?? 0, reader.GetString(2)));
        return rows;
    }

    public long RejectedCount(ReportSelection s) =>
        Convert.ToInt64(db.Connection.ExecuteScalar(db.Sql.Get("report/rejected_count"), DayParameters(s)), CultureInfo.InvariantCulture);

    /// <summary>Cost per UTC day and model from the mart, or null when the transform has not built it.</summary>
    public IReadOnlyList<(DateOnly Day, string Model, double? Usd, long Unpriced)>? MartCosts(ReportSelection s)
    {
        var columns = Columns("daily_model_metrics");
        if (!columns.IsSupersetOf(["day", "model", "est_cost_usd", "unpriced_calls"])) return null;
        var rows = new List<(DateOnly, string, double?, long)>();
        using var reader = db.Connection.ExecuteReader(db.Sql.Get("report/daily_model_costs"), DayParameters(s));
        while (reader.Read())
        {
            var day = DateOnly.FromDateTime(Convert.ToDateTime(reader.GetValue(0) is DateOnly d ? d.ToDateTime(TimeOnly.MinValue) : reader.GetValue(0), CultureInfo.InvariantCulture));
            rows.Add((day, reader.GetString(1), Double(reader, 2), Long(reader, 3) ?? 0));
        }
        return rows;
    }

    /// <summary>The price-table hashes the transform recorded for the period; empty when it records none.</summary>
    public IReadOnlyList<string> PriceTableHashes(ReportSelection s)
    {
        if (!Columns("daily_model_metrics").Contains("price_table_hash")) return [];
        return db.Connection.Query<string>(db.Sql.Get("report/price_table_hash"), DayParameters(s)).ToList();
    }

    private HashSet<string> Columns(string table) =>
        db.Connection.Query<string>(db.Sql.Get("report/table_columns"), new { table_name = table }).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static DynamicParameters CallParameters(ReportSelection s)
    {
        var p = new DynamicParameters();
        p.Add("from_utc", s.FromUtc, DbType.DateTime);
        p.Add("to_utc", s.ToUtc, DbType.DateTime);
        p.Add("model", s.Model, DbType.String);
        return p;
    }

    private static DynamicParameters DayParameters(ReportSelection s)
    {
        var p = CallParameters(s);
        p.Add("from_day", s.FromUtcDay, DbType.DateTime);
        p.Add("to_day", s.ToUtcDay, DbType.DateTime);
        return p;
    }

    private static long? Long(IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double? Double(IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static bool? Bool(IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToBoolean(r.GetValue(i), CultureInfo.InvariantCulture);
}
