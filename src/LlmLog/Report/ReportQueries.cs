using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using LlmLog.Transform;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Report;

/// <summary>
/// Reads what a report needs from the warehouse. The daily table comes from <see cref="DailyMetricsReader"/>
/// (the <c>daily_llm_metrics</c> mart in UTC, the same aggregates over the call rows in another zone), so it
/// matches <c>llmlog summary</c> to the digit. For UTC days of all models everything else is read from the marts
/// (<c>sql/report/*_utc.sql</c>); for another zone or a model filter the engine aggregates the call rows
/// (<c>sql/report/*.sql</c>) into rows of the same shape. Either way only small results reach memory.
/// The methods may be called from several threads at once: each query runs on a connection of its own (the
/// given one, or another to the same database opened when it is busy), so long scans can run side by side.
/// </summary>
public sealed class ReportQueries(WarehouseConnection db) : IDisposable
{

    /// <summary>The sessions <see cref="ReportBuilder"/> reads through at most at once: its thread and three tasks.</summary>
    private const int SnapshotSessions = 4;

    private readonly BlockingCollection<WarehouseConnection> _idle = new(new ConcurrentBag<WarehouseConnection>());
    private readonly ConcurrentBag<WarehouseConnection> _opened = [];
    private readonly List<System.Data.Common.DbTransaction> _snapshots = [];
    private int _mainBusy;
    private bool _ownsConnection;

    /// <summary>The engine read, for the report's header.</summary>
    public Engine Engine => db.Engine;

    /// <summary>
    /// Reads through a fixed set of sessions that share one snapshot (PostgreSQL), taken before this returns. The
    /// caller holds the writer lock while it is taken, so that no llmlog writer commits between the sessions'
    /// snapshots, and may release it afterwards: the report then reads the warehouse as it was at this moment while
    /// an ingest goes on beside it. DuckDB's file lock keeps writers out of the whole read anyway. The queries own
    /// <paramref name="db"/> from then on: disposing them closes it.
    /// </summary>
    internal static ReportQueries InOneSnapshot(WarehouseConnection db, bool useMarts)
    {
        var queries = new ReportQueries(db) { UseMarts = useMarts };
        if (db.Engine == Engine.Postgres)
        {
            try
            {
                queries.BeginSnapshot(db);
                for (var i = 1; i < SnapshotSessions; i++)
                {
                    var sibling = db.OpenSibling();
                    queries._opened.Add(sibling);
                    queries.BeginSnapshot(sibling);
                    queries._idle.Add(sibling);
                }
            }
            catch
            {
                queries.CloseSessions();
                throw;
            }
        }
        // Only once it is whole: a failure above leaves the given connection to the caller.
        queries._ownsConnection = true;
        return queries;
    }

    private void BeginSnapshot(WarehouseConnection connection) => _snapshots.Add(connection.BeginReadSnapshot()!);

    /// <summary>
    /// Read UTC days and hours of all models from the marts and the stored day, as the summary does; off, every
    /// number is aggregated from the call rows through the zone rules (tests keep the two equal).
    /// </summary>
    internal bool UseMarts { get; init; } = true;

    /// <summary>The daily metrics exactly as <c>llmlog summary</c> reads them; null when the warehouse has no call.</summary>
    public DailyMetricsResult? DailyMetrics(ReportSelection s)
    {
        var watch = Stopwatch.StartNew();
        var result = OnRented(connection => DailyMetricsReader.Read(connection, new DailyMetricsQuery { From = s.From, To = s.To, Model = s.Model, TimeZone = s.ZoneId, FromCalls = !UseMarts }));
        Log.Debug("Report query {Query}: {Rows} rows in {Seconds:0.000} s", "daily metrics", result?.Days.Count ?? 0, watch.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>The headline counts of the selection and its newest call, as one row.</summary>
    public SelectionTotals Totals(ReportSelection s)
    {
        return Rows(UtcOrCalls(s, "report/kpis"), r => new SelectionTotals(
            Calls: Long(r, 0) ?? 0, TotalTokens: Long(r, 1) ?? 0, CallsWithUsage: Long(r, 2) ?? 0, StreamedCalls: Long(r, 3) ?? 0,
            FlaggedCalls: Long(r, 4) ?? 0, HitMaxTokensCalls: Long(r, 5) ?? 0, CallsWithStartEnd: Long(r, 6) ?? 0,
            CallsWithTtft: Long(r, 7) ?? 0, CallsWithStream: Long(r, 8) ?? 0, CallsWithRequestType: Long(r, 9) ?? 0,
            CallsWithTemperature: Long(r, 10) ?? 0, CallsWithMaxTokens: Long(r, 11) ?? 0,
            NewestCallUtc: r.IsDBNull(12) ? null : r.GetDateTime(12), CallsWithTotalTokens: Long(r, 13) ?? 0))[0];
    }

    /// <summary>Counts and token sums per model, unordered; percentiles and means come from <see cref="Distributions"/>, cost from the cost series.</summary>
    public IReadOnlyList<ModelMetrics> Models(ReportSelection s)
    {
        return Rows(UtcOrCalls(s, "report/models"), r => new ModelMetrics
        {
            Model = r.GetString(0),
            Calls = Long(r, 1) ?? 0,
            StreamedCalls = Long(r, 2) ?? 0,
            CallsWithUsage = Long(r, 3) ?? 0,
            PromptTokens = Long(r, 4) ?? 0,
            CompletionTokens = Long(r, 5) ?? 0,
            TotalTokens = Long(r, 6) ?? 0,
            CallsWithMaxTokens = Long(r, 7) ?? 0,
            HitMaxTokensCalls = Long(r, 8) ?? 0,
            CallsWithMaxTokensUse = Long(r, 9) ?? 0,
        });
    }

    /// <summary>
    /// The log-binned histograms per model of every measure whose period-wide percentiles or means the report quotes:
    /// from the daily_model_distributions mart for UTC days of all models, else binned from the call rows the same way.
    /// </summary>
    public Measures Distributions(ReportSelection s)
    {
        return new Measures(Rows(UtcOrCalls(s, "report/distributions"), r => (r.GetString(0), r.GetString(1),
            new LogHistogram.Bin(Long(r, 2) ?? 0, Long(r, 3) ?? 0, Double(r, 4) ?? 0, Double(r, 5) ?? 0, Double(r, 6) ?? 0))));
    }

    /// <summary>
    /// Cost per local day and model (null where no call has one) with the calls unpriced, unordered; and whether any
    /// of the costs was computed from a price table (else they are all logged ones).
    /// </summary>
    public (IReadOnlyList<(DateOnly Day, string Model, double? Usd, long UnpricedCalls)> Groups, bool AnyComputed) CostByDay(ReportSelection s)
    {
        if (UtcMartsServe(s))
        {
            // UTC days of all models are rows of daily_model_metrics: no join of every call to its cost.
            var groups = Rows(DayParameters(s), "report/cost_by_day_utc", r => (Day(r, 0), r.GetString(1), Double(r, 2), Long(r, 3) ?? 0));
            return (groups, Rows(DayParameters(s), "report/any_computed_cost", r => Bool(r, 0) ?? false)[0]);
        }
        var rows = Rows(ZoneParameters(s), "report/cost_by_day", r => (Day: Day(r, 0), Model: r.GetString(1), Usd: Double(r, 2), Computed: Long(r, 3) ?? 0, Unpriced: Long(r, 4) ?? 0));
        return (rows.Select(g => (g.Day, g.Model, g.Usd, g.Unpriced)).ToList(), rows.Any(g => g.Computed > 0));
    }

    /// <summary>Per local day: streamed TTFT p95, and the tokens and calls behind the average tokens per call with usage.</summary>
    public IReadOnlyList<(DateOnly Day, double? P95TtftStreamedS, long? UsageTokens, long UsageCalls)> DayExtras(ReportSelection s)
    {
        // UTC days of all models are rows of daily_report_metrics.
        var (parameters, query) = UtcMartsServe(s) ? (DayParameters(s), "report/day_extras_utc") : (ZoneParameters(s), "report/day_extras");
        return Rows(parameters, query, r => (Day(r, 0), Double(r, 1), Long(r, 2), Long(r, 3) ?? 0));
    }

    public IReadOnlyList<(DateOnly Day, string? RequestType, long Calls)> DayRequestTypes(ReportSelection s)
    {
        var (parameters, query) = UtcMartsServe(s) ? (DayParameters(s), "report/day_request_types_utc") : (ZoneParameters(s), "report/day_request_types");
        return Rows(parameters, query, r => (Day(r, 0), Text(r, 1), Long(r, 2) ?? 0));
    }

    /// <summary>Rejected records of the period per local day of their created instant (undated ones belong to none).</summary>
    public IReadOnlyDictionary<DateOnly, long> RejectsByDay(ReportSelection s) =>
        Rows(ZoneParameters(s), "report/rejects_by_day", r => (Day: Day(r, 0), Rejected: Long(r, 1) ?? 0)).ToDictionary(x => x.Day, x => x.Rejected);

    /// <summary>Calls and the exact p95 latency per local day and model: the model mix over time, and who moved a day's p95.</summary>
    public IReadOnlyList<(DateOnly Day, string Model, long Calls, double? P95LatencyS)> DayModels(ReportSelection s)
    {
        var (parameters, query) = UtcMartsServe(s) ? (DayParameters(s), "report/day_models_utc") : (ZoneParameters(s), "report/day_models");
        return Rows(parameters, query, r => (Day(r, 0), r.GetString(1), Long(r, 2) ?? 0, r.IsDBNull(3) ? (double?)null : r.GetDouble(3)));
    }

    /// <summary>Calls and tokens per local hour (hour start in local time), in order.</summary>
    public IReadOnlyList<(DateTime HourStart, long Calls, long Tokens)> Hours(ReportSelection s)
    {
        // UTC hours of all models are rows of hourly_llm_metrics.
        var (parameters, query) = UtcMartsServe(s) ? (DayParameters(s), "report/hours_utc") : (ZoneParameters(s), "report/hours");
        return Rows(parameters, query, r => (DateTime.SpecifyKind(r.GetDateTime(0), DateTimeKind.Unspecified), Long(r, 1) ?? 0, Long(r, 2) ?? 0));
    }

    /// <summary>
    /// Calls per request type (null where none), with max_tokens hits out of the calls that set a limit and report their
    /// completion tokens, and the first call's time.
    /// </summary>
    public IReadOnlyList<(string? RequestType, long Calls, long Hits, long CallsWithMaxTokensUse, DateTime FirstCall)> RequestTypes(ReportSelection s) =>
        Rows(UtcOrCalls(s, "report/request_types"), r => (Text(r, 0), Long(r, 1) ?? 0, Long(r, 2) ?? 0, Long(r, 3) ?? 0, r.GetDateTime(4)));

    public IReadOnlyList<(double? Temperature, long Calls)> Temperatures(ReportSelection s) =>
        Rows(UtcOrCalls(s, "report/temperatures"), r => (Double(r, 0), Long(r, 1) ?? 0));

    /// <summary>Calls per distinct (non-empty) flags list.</summary>
    public IReadOnlyList<(string Flags, long Calls)> FlagSets(ReportSelection s) =>
        Rows(UtcOrCalls(s, "report/flag_sets"), r => (r.GetString(0), Long(r, 1) ?? 0));

    /// <summary>Calls per tenth of max_tokens used (0–9), and reaching the limit (10).</summary>
    public long[] MaxTokensUse(ReportSelection s)
    {
        var counts = new long[11];
        foreach (var (bin, calls) in Rows(UtcOrCalls(s, "report/max_tokens_use"), r => (Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), Long(r, 1) ?? 0))) counts[bin] = calls;
        return counts;
    }

    public IReadOnlyList<IngestRunRow> IngestRuns(ReportSelection s) =>
        Rows(CallParameters(s), "report/ingest_runs", r => new IngestRunRow(Long(r, 0) ?? 0, r.GetString(1), r.GetDateTime(2), r.GetString(3),
            Long(r, 4) ?? 0, Long(r, 5) ?? 0, Long(r, 6) ?? 0, Long(r, 7) ?? 0, Long(r, 8) ?? 0, Text(r, 9), Long(r, 10))
            {
                ReadBytes = Bool(r, 11) ?? true, ResolvedAt = r.IsDBNull(12) ? null : r.GetDateTime(12), ResolvedNote = Text(r, 13),
            });

    public IReadOnlyList<RejectReasonRow> RejectReasons(ReportSelection s)
    {
        return Rows(CallParameters(s), "report/reject_reasons", r => new RejectReasonRow(r.GetString(0), Long(r, 1) ?? 0, r.GetString(2)));
    }

    /// <summary>
    /// Per model, the selection's calls a price table no longer in force left without a cost and the table in force
    /// prices: 'llmlog transform --reprice' would cost them.
    /// </summary>
    public IReadOnlyDictionary<string, long> UnpricedPricedInForce(ReportSelection s) =>
        Rows(CallParameters(s), "report/unpriced_priced_in_force", r => (Model: r.GetString(0), Calls: Long(r, 1) ?? 0))
            .ToDictionary(x => x.Model, x => x.Calls, StringComparer.Ordinal);

    /// <summary>
    /// Per model, the selection's calls without a cost: how many log no prompt/completion split, and the last UTC day of
    /// the others.
    /// </summary>
    public IReadOnlyList<UnpricedModelCalls> UnpricedCalls(ReportSelection s) =>
        Rows(UtcOrCalls(s, "report/unpriced_calls"), r => new UnpricedModelCalls(r.GetString(0), Long(r, 1) ?? 0, r.IsDBNull(2) ? null : Day(r, 2)));

    /// <summary>Each row pattern of the price table in force (exact or prefix) with the first day from which it gives a price.</summary>
    public IReadOnlyList<(string Match, string MatchType, DateOnly FirstDay)> FirstPricesInForce() =>
        Rows(new DynamicParameters(), "report/first_prices_in_force", r => (r.GetString(0), r.GetString(1), Day(r, 2)));

    /// <summary>How many price tables the warehouse holds (one until a table of the user's is loaded).</summary>
    public long PriceTablesLoaded() => Rows(new DynamicParameters(), "report/price_tables_count", r => Long(r, 0) ?? 0)[0];

    /// <summary>The warehouse's models, most calls first, for the hint when --model matches none.</summary>
    public IReadOnlyList<NoCalls.KnownModel> KnownModels() =>
        Rows(new DynamicParameters(), "metrics/known_models", r => new NoCalls.KnownModel(r.GetString(0), Text(r, 1), Long(r, 2) ?? 0));

    /// <summary>Why the report has nothing to show when the warehouse holds no call.</summary>
    /// <remarks>On a rented connection, as every query here: the one given may be busy with a query beside this one, and a
    /// PostgreSQL session runs one command at a time (found by review: NpgsqlOperationInProgressException).</remarks>
    public string NoCallsMessage() => OnRented(NoCalls.Message);

    /// <summary>Records of the period that failed validation (undated ones included), and the days of the dated ones.</summary>
    public PeriodRejects Rejected(ReportSelection s) =>
        Rows(CallParameters(s), "report/rejected_count", r => new PeriodRejects(Long(r, 0) ?? 0, Long(r, 1) ?? 0,
            r.IsDBNull(2) ? null : Day(r, 2), r.IsDBNull(3) ? null : Day(r, 3), Long(r, 4) ?? 0))[0];

    /// <summary>Whether the report marts hold this selection: they hold UTC days of all models, so exactly those.</summary>
    public static bool MartsCanServe(ReportSelection s) => s.IsUtc && s.Model.Length == 0;

    private bool UtcMartsServe(ReportSelection s) => UseMarts && MartsCanServe(s);

    // The query's variant over the UTC marts (name_utc, bounded by UTC days) where they serve, else over the call rows.
    private (DynamicParameters Parameters, string Query) UtcOrCalls(ReportSelection s, string query) =>
        UtcMartsServe(s) ? (DayParameters(s), query + "_utc") : (CallParameters(s), query);

    private List<T> Rows<T>((DynamicParameters Parameters, string Query) source, Func<System.Data.IDataRecord, T> row) => Rows(source.Parameters, source.Query, row);

    private List<T> Rows<T>(DynamicParameters parameters, string query, Func<System.Data.IDataRecord, T> row)
    {
        var watch = Stopwatch.StartNew();
        var rows = OnRented(connection =>
        {
            var found = new List<T>();
            using var reader = connection.Connection.ExecuteReader(connection.Sql.Get(query), parameters);
            while (reader.Read()) found.Add(row(reader));
            return found;
        });
        // Each query over the call rows scans the selection's calls, so its time is what a slow report is made of.
        Log.Debug("Report query {Query}: {Rows} rows in {Seconds:0.000} s", query, rows.Count, watch.Elapsed.TotalSeconds);
        return rows;
    }

    /// <summary>Runs <paramref name="read"/> on a connection no other query is using, and gives the connection back.</summary>
    private T OnRented<T>(Func<WarehouseConnection, T> read)
    {
        var connection = Rent();
        try
        {
            return read(connection);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>A connection no other query is using: the given one when it is free, else another to the same database.</summary>
    private WarehouseConnection Rent()
    {
        if (Interlocked.CompareExchange(ref _mainBusy, 1, 0) == 0) return db;
        if (_idle.TryTake(out var idle)) return idle;
        // A session opened now would see what was committed since the snapshot: wait for one of the set instead.
        if (_snapshots.Count > 0) return _idle.Take();
        var sibling = db.OpenSibling();
        _opened.Add(sibling);
        return sibling;
    }

    private void Return(WarehouseConnection connection)
    {
        if (ReferenceEquals(connection, db)) Volatile.Write(ref _mainBusy, 0);
        else _idle.Add(connection);
    }

    /// <summary>Ends the snapshot and closes the connections opened beside the given one, which stays open unless it was handed over.</summary>
    public void Dispose()
    {
        CloseSessions();
        if (_ownsConnection) db.Dispose();
    }

    private void CloseSessions()
    {
        foreach (var tx in _snapshots) tx.Dispose();
        _snapshots.Clear();
        foreach (var connection in _opened) connection.Dispose();
        _opened.Clear();
        _idle.Dispose();
    }

    private static DynamicParameters CallParameters(ReportSelection s)
    {
        var p = new DynamicParameters();
        p.Add("from_utc", s.FromUtc);
        p.Add("to_utc", s.ToUtc);
        p.Add("model", s.Model);
        return p;
    }

    private DynamicParameters ZoneParameters(ReportSelection s)
    {
        var p = CallParameters(s);
        // Local days and hours are bucketed in the engine, as the daily metrics are, so both agree on DST.
        p.Add("zone", s.Zone.Id);
        p.Add("utc", UseMarts && s.IsUtc);
        return p;
    }

    private static DynamicParameters DayParameters(ReportSelection s)
    {
        var p = CallParameters(s);
        p.Add("from_day", s.FromUtcDay);
        p.Add("to_day", s.ToUtcDay);
        return p;
    }

    private static string? Text(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateOnly Day(System.Data.IDataRecord r, int i) => DbValues.Day(r.GetValue(i));

    private static long? Long(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double? Double(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static bool? Bool(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToBoolean(r.GetValue(i), CultureInfo.InvariantCulture);
}
