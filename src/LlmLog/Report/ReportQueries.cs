using System.Globalization;
using Dapper;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Report;

/// <summary>
/// Reads what a report needs from the warehouse. The daily table comes from <see cref="DailyMetricsReader"/>
/// (the <c>daily_llm_metrics</c> mart in UTC, the same aggregates over the call rows in another zone), so it
/// matches <c>llmlog summary</c> to the digit; charts that need single calls read them through
/// <c>sql/report/</c>, with each call's cost from <c>call_costs</c>.
/// </summary>
public sealed class ReportQueries(WarehouseConnection db)
{
    private const int TopRejectReasons = 10;

    /// <summary>The daily metrics exactly as <c>llmlog summary</c> reads them; null when the warehouse has no call.</summary>
    public DailyMetricsResult? DailyMetrics(ReportSelection s) =>
        DailyMetricsReader.Read(db, new DailyMetricsQuery { From = s.From, To = s.To, Model = s.Model, TimeZone = s.ZoneId });

    public IReadOnlyList<CallFact> Calls(ReportSelection s)
    {
        var list = new List<CallFact>();
        // A few distinct models, types and flags repeat over millions of rows; one string each keeps memory flat.
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Text(System.Data.IDataRecord r, int i)
        {
            if (r.IsDBNull(i)) return null;
            var value = r.GetString(i);
            if (strings.TryGetValue(value, out var known)) return known;
            strings[value] = value;
            return value;
        }
        using var reader = db.Connection.ExecuteReader(db.Sql.Get("report/calls"), CallParameters(s));
        while (reader.Read())
        {
            list.Add(new CallFact
            {
                CreatedAt = reader.GetDateTime(0),
                Model = Text(reader, 1)!,
                Stream = Bool(reader, 2),
                RequestType = Text(reader, 3),
                MaxTokens = Long(reader, 4),
                Temperature = Double(reader, 5),
                LatencyS = Double(reader, 6),
                TtftS = Double(reader, 7),
                PromptTokens = Long(reader, 8),
                CompletionTokens = Long(reader, 9),
                TotalTokens = Long(reader, 10),
                OutputTokensPerS = Double(reader, 11),
                HitMaxTokens = Bool(reader, 12),
                CostUsd = Double(reader, 13),
                CostSource = Text(reader, 14),
                Flags = Text(reader, 15) ?? "",
                FlagMissingUsage = Bool(reader, 16) ?? false,
                HasStartEnd = Bool(reader, 17) ?? false,
                RunId = Long(reader, 18) ?? 0,
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

    private static DynamicParameters CallParameters(ReportSelection s)
    {
        var p = new DynamicParameters();
        p.Add("from_utc", s.FromUtc);
        p.Add("to_utc", s.ToUtc);
        p.Add("model", s.Model);
        return p;
    }

    private static DynamicParameters DayParameters(ReportSelection s)
    {
        var p = CallParameters(s);
        p.Add("from_day", s.FromUtcDay);
        p.Add("to_day", s.ToUtcDay);
        return p;
    }

    private static long? Long(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double? Double(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static bool? Bool(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToBoolean(r.GetValue(i), CultureInfo.InvariantCulture);
}
