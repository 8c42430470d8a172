using System.Globalization;

namespace LlmLog.Report;

/// <summary>
/// The text blocks both writers lay out — header lines, KPI tiles, table rows — so the HTML and the PDF say
/// the same thing in the same words.
/// </summary>
public static class ReportContent
{
    public static IReadOnlyList<(string Label, string Value)> HeaderLines(ReportHeader h) =>
    [
        ("Period", Period(h)),
        ("Time zone", h.TimeZone),
        .. h.ModelFilter is null ? Array.Empty<(string, string)>() : [("Model filter", h.ModelFilter)],
        // In the zone the days are counted in, as the period is: a UTC time beside local days read as a day off (found by probing).
        ("Newest call", (h.NewestCallUtc, h.NewestCallLocal) switch
        {
            ({ } utc, { } local) => $"{Format.Local(local)} {h.TimeZone} ({Format.Utc(utc)})",
            ({ } utc, null) => Format.Utc(utc),
            _ => "none: no record of the period passed validation",
        }),
        ("Generated", Format.Utc(h.GeneratedAtUtc)),
        ("Tool", "llmlog " + h.ToolVersion),
        ("Database", h.Engine),
        ("Price table", h.PriceTableHashes.Count == 0 ? "none priced a call of this period"
            : string.Join(", ", h.PriceTableHashes.Select(x => (x.Length > 12 ? x[..12] : x) + (h.PriceTablesNoLongerInForce.Contains(x) ? " (no longer in force)" : "")))),
    ];

    /// <summary>The report's period as its header and page title write it: "2024-12-01 to 2024-12-31", or what is known of it.</summary>
    public static string Period(ReportHeader h) => (h.FirstDay, h.LastDay) switch
    {
        ({ } first, { } last) => $"{Format.Day(first)} to {Format.Day(last)}",
        ({ } first, null) => $"from {Format.Day(first)}",
        (null, { } last) => $"to {Format.Day(last)}",
        _ => "unknown: no rejected record has a readable created time",
    };

    /// <summary>
    /// Which columns of a table hold text (left-aligned, heading included) rather than numbers: the first always,
    /// any other unless most of its cells are numbers. Both the HTML and the PDF align by it.
    /// </summary>
    public static bool[] TextColumns(int columns, IReadOnlyList<string[]> rows) =>
        Enumerable.Range(0, columns).Select(i => i == 0 || rows.Count(r => i < r.Length && !IsText(r[i])) * 2 <= rows.Count).ToArray();

    /// <summary>Whether most cells of column <paramref name="i"/> are text (a model name) rather than numbers or days.</summary>
    public static bool MostlyText(IReadOnlyList<string[]> rows, int i) => rows.Count(r => i < r.Length && IsText(r[i])) * 2 > rows.Count;

    // A cost floor ("≥ $19.08") is a number: a column of them was laid out as text, left-aligned and wrapped mid-number
    // (found by probing the report).
    private static bool IsText(string cell) => cell.Length > 0 && !char.IsDigit(cell[0]) && cell[0] is not ('$' or '-' or '−' or '<' or '≥') && cell != "n/a";

    /// <summary>The KPI tiles: label, value, and a note that qualifies the value.</summary>
    public static IReadOnlyList<(string Label, string Value, string Note)> Tiles(ReportData d)
    {
        var k = d.Kpis;
        var rejected = ("Rejected records", Format.Count(k.RejectedRecords), (d.Header.ModelFilter, k.RejectedShare) switch
        {
            // A rejected record has no model to filter by: its share of one model's calls would mean nothing.
            (not null, _) => "failed validation, all models (undated included)",
            (null, { } share) when d.HasCalls => $"{Format.Share(share)} of records failed validation (undated included)",
            _ => "failed validation (undated included)",
        });
        // Without a call, tokens, cost, latency and shares are unknown, not zero: only what is known gets a tile.
        if (!d.HasCalls) return [("Calls", "0", "no record of the period passed validation"), rejected];
        var costLabel = d.Cost.Source == CostSource.Logged ? "Logged cost" : "Estimated cost";
        var costNote = d.Cost.Source == CostSource.None
            ? k.CallsWithUsage == 0 ? "no call reports its token usage or a cost" : "no call could be priced or logs a cost"
            // A call without usage has no cost unless it logged one, and the note says how many there are: "0 calls unpriced"
            // over a month in which streaming, which reports none, took over read as all of the spend (found by probing).
            : k.CallsWithUsage == 0 ? $"logged costs only: none of the {Format.Counted(k.Calls, "call")} reports its usage"
            : k.Calls > k.CallsWithUsage
                ? $"{Format.Counted(k.UnpricedCalls, "call")} unpriced ({Format.Share(k.UnpricedShare)} of those with usage); {Format.Count(k.Calls - k.CallsWithUsage)} without usage"
                : $"{Format.Counted(k.UnpricedCalls, "call")} unpriced ({Format.Share(k.UnpricedShare)} of calls with usage)";
        return
        [
            // "22 days" of a 30-day period read as the period's length (found by probing the report).
            ("Calls", Format.Count(k.Calls), Format.Counted(d.Days.Count, "day") + (Findings.HasDaysWithoutCalls(d.Days) ? " with calls" : "")),
            k.CallsWithUsage == 0
                ? ("Total tokens", "n/a", "no call reports its token usage")
                : ("Total tokens", Format.Compact(k.TotalTokens), k.CallsWithUsage < k.Calls
                    ? $"{Format.Count(k.TotalTokens)} from the {Format.Counted(k.CallsWithUsage, "call")} with usage"
                    : $"{Format.Count(k.TotalTokens)} tokens"),
            (costLabel, Cost(k.EstimatedCostUsd, k.UnpricedCalls), costNote),
            // "Within 0.5 %" of a value that does not exist claimed a precision for nothing (found by probing the report).
            ("Latency p50", Format.Seconds(k.P50LatencyS), k.P50LatencyS is null ? "no call has both start and end" : "end − start; within 0.5\u00a0%"),
            ("Latency p95", Format.Seconds(k.P95LatencyS), k.P95LatencyS is null ? "no call has both start and end" : "end − start; within 0.5\u00a0%"),
            ("TTFT p95, streamed", Format.Seconds(k.P95TtftStreamedS), k.P95TtftStreamedS is null ? "no streamed call reports its time to first token" : "streamed calls only; within 0.5\u00a0%"),
            // A log without the stream field read "Streamed 0.0%" (found by probing the report).
            k.StreamKnown
                ? ("Streamed", Format.Share(k.StreamedShare), Format.Counted(k.StreamedCalls, "call"))
                : ("Streamed", "n/a", "no call says whether it streamed"),
            rejected,
            ("Flagged calls", Format.Count(k.FlaggedCalls), $"{Format.Share(k.Calls == 0 ? null : (double)k.FlaggedCalls / k.Calls)} of calls"),
        ];
    }

    /// <summary>
    /// Where the runs table is empty: no run read a record dated in the period, failed since it began or holds only
    /// undated records. "No ingest run recorded." was said beside a rejected record, undated, that a run listed in other
    /// periods had read (found by probing the report).
    /// </summary>
    public const string NoRunsNote = "No ingest run read records dated in this period; 'llmlog export --table runs' lists every run.";

    /// <summary>Printed under the model comparison, whose percentiles are all over the whole selection.</summary>
    public const string ModelTableNote =
        "Latency percentiles, TTFT and the median output speed over the whole selection, read from log bins 1 % wide: percentiles within 0.5 % of the exact value, means exact. "
        + "The chart of output tokens per second by model shows the mean speed beside the median.";

    /// <summary>How the report's percentiles are defined, printed where they are shown.</summary>
    public const string PercentileNote =
        "Percentiles over the whole selection (key figures, the daily metrics' total row, model comparison, latency and max_tokens histograms) are read from log bins 1 % wide and are within 0.5 % of the exact value; "
        + "per-day percentiles (the daily metrics' day rows and the daily charts) are exact. Both interpolate linearly between ranks, as percentile_cont.";

    /// <summary>Printed after <see cref="PercentileNote"/> in both footers.</summary>
    public const string SumsNote = "Tokens and latency are summed only over calls that report them.";

    /// <summary>What both footers say of the numbers of a report with calls.</summary>
    public const string FooterNotes = PercentileNote + " " + SumsNote;

    /// <summary>The document's title, in the HTML's &lt;title&gt; and the PDF's metadata: a folder of mailed reports tells the periods apart.</summary>
    public static string DocumentTitle(ReportHeader h) => h.Title + " — " + Period(h);

    public static readonly string[] DailyColumns =
        ["Day", "Calls", "Streamed", "With usage", "Prompt tokens", "Completion tokens", "Total tokens", "Latency p50", "Latency p95", "TTFT p95 streamed", "Output tok/s mean", "Hit max_tokens", "Cost"];

    public static IEnumerable<string[]> DailyRows(ReportData d) => d.Days.Select(x => new[]
    {
        Format.Day(x.Day) + (x.Partial ? " (partial)" : ""), Format.Count(x.Calls), Streamed(d, x.StreamedCalls), Format.Count(x.CallsWithUsage),
        Format.Count(x.PromptTokens), Format.Count(x.CompletionTokens), Format.Count(x.TotalTokens),
        Format.Seconds(x.P50LatencyS), Format.Seconds(x.P95LatencyS), Format.Seconds(x.P95TtftStreamedS),
        Format.Number(x.AvgOutputTokensPerS), Format.Count(HitsIfKnown(x.CallsWithUsage, x.HitMaxTokensCalls)), Cost(x.EstCostUsd, x.UnpricedCalls),
    });

    public static string[] DailyTotals(ReportData d) =>
    [
        "Total", Format.Count(d.Kpis.Calls), Streamed(d, d.Kpis.StreamedCalls), Format.Count(d.Kpis.CallsWithUsage),
        Format.Count(SumOfKnown(d.Days.Select(x => x.PromptTokens))), Format.Count(SumOfKnown(d.Days.Select(x => x.CompletionTokens))),
        Format.Count(d.Kpis.CallsWithUsage == 0 ? null : d.Kpis.TotalTokens),
        Format.Seconds(d.Kpis.P50LatencyS), Format.Seconds(d.Kpis.P95LatencyS), Format.Seconds(d.Kpis.P95TtftStreamedS),
        Format.Number(d.Kpis.AvgOutputTokensPerS), Format.Count(HitsIfKnown(d.Kpis.CallsWithUsage, d.Days.Sum(x => x.HitMaxTokensCalls))), Cost(d.Kpis.EstimatedCostUsd, d.Kpis.UnpricedCalls),
    ];

    // A cost that leaves out calls with usage but no price is a floor, and says so: "$13.10" for a model three quarters of
    // whose calls were unpriced read as its whole cost (found by probing the report).
    internal static string Cost(double? usd, long unpricedCalls) => usd is { } floor && unpricedCalls > 0 ? "≥\u00a0" + Format.UsdFloor(floor) : Format.Usd(usd);

    // Where no call of the selection says whether it streamed, the streamed counts are unknown, not 0.
    private static string Streamed(ReportData d, long streamedCalls) => d.Kpis.StreamKnown ? Format.Count(streamedCalls) : "n/a";

    // A call is seen to hit its limit only by its completion tokens: where no call reports usage, hits are unknown, not 0.
    private static long? HitsIfKnown(long callsWithUsage, long hits) => callsWithUsage == 0 ? null : hits;

    // The total of the days that have a count; unknown when none has (as SQL's sum over NULLs).
    private static long? SumOfKnown(IEnumerable<long?> values) => values.Aggregate((long?)null, (sum, v) => v is null ? sum : (sum ?? 0) + v.Value);

    /// <summary>The daily columns in words short enough for a PDF page.</summary>
    public static readonly string[] DailyColumnsShort =
        ["Day", "Calls", "Stream", "Usage", "Prompt", "Completion", "Total", "p50 lat", "p95 lat", "TTFT p95 strm", "Tok/s avg", "Hit max", "Cost"];

    public static readonly string[] ModelColumnsShort =
        ["Model", "Calls", "Stream", "Tokens", "p50 lat", "p95 lat", "TTFT avg strm", "TTFT avg non-strm", "Tok/s p50", "Hit max", "Cost"];

    // The comparison gives each model's median speed: the mean of per-call rates let one call of 16,073 tokens in 1.2 s
    // make a model read seven times faster than the rest (found by probing the report). The daily columns stay the
    // daily_llm_metrics contract's mean, and say so.
    public static readonly string[] ModelColumns =
        ["Model", "Calls", "Streamed", "Total tokens", "Latency p50", "Latency p95", "TTFT avg streamed", "TTFT avg non-streamed", "Output tok/s p50", "Hit max_tokens", "Cost"];

    public static IEnumerable<string[]> ModelRows(ReportData d) => d.TableModels.Select((m, i) => new[]
    {
        IsPooledModelRow(d, i) ? $"{ReportBuilder.Other} ({Format.Counted(d.Models.Count - i, "more model")})" : m.Model, Format.Count(m.Calls), Format.Share(m.Calls == 0 || !d.Kpis.StreamKnown ? null : (double)m.StreamedCalls / m.Calls), Format.Count(m.CallsWithUsage == 0 ? null : m.TotalTokens),
        Format.Seconds(m.P50LatencyS), Format.Seconds(m.P95LatencyS), Format.Seconds(m.AvgTtftStreamedS), Format.Seconds(m.AvgTtftNonStreamedS),
        Format.Number(m.P50OutputTokensPerS), Format.Count(HitsIfKnown(m.CallsWithUsage, m.HitMaxTokensCalls)), Cost(m.EstCostUsd, m.UnpricedCalls),
    });

    // The pooled row is the last, and only there when models were left out: a model may itself be called "other".
    private static bool IsPooledModelRow(ReportData d, int i) => d.TableModels.Count < d.Models.Count && i == d.TableModels.Count - 1;

    /// <summary>Printed under the model comparison when it pools models into "other": where to see each of them.</summary>
    public static string? PooledModelsNote(ReportData d) => d.TableModels.Count < d.Models.Count
        ? $"The {Format.Count(d.TableModels.Count - 1)} models with the most calls are listed by name and the other {Format.Count(d.Models.Count - d.TableModels.Count + 1)} pooled into one row; "
          + "llmlog export --table daily-model lists every model, day by day."
        : null;

    public static readonly string[] RunColumns = ["Run", "File", "Started (UTC)", "Status", "Read", "Loaded", "Duplicate", "Rejected", "Flagged"];

    /// <summary>
    /// The ingest runs table lists this many runs, then one row for the earlier ones: a month of hourly loads is 720 runs,
    /// which made ten pages of the PDF.
    /// </summary>
    public const int TableRuns = 20;

    /// <summary>
    /// <see cref="TableRuns"/> runs, newest first: those that failed or were cut short and were not completed since (the
    /// findings send the reader here for them; the newest <see cref="TableIncompleteRuns"/> when there are more) and the
    /// newest others; the other runs added up in one last row.
    /// </summary>
    public static IEnumerable<string[]> RunRows(ReportData d)
    {
        var (listed, rest) = SplitRuns(d.Quality.Runs);
        if (rest.Count == 0) return listed.Select(RunRow);
        var statuses = string.Join(", ", rest.GroupBy(r => r.CompletedByRun is not null ? r.Status + " (completed later)"
                : r.ResolvedAt is not null ? r.Status + " (resolved by hand)" : r.Status)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{Format.Count(g.Count())} {g.Key}"));
        return listed.Select(RunRow).Append(
        [
            "…", Format.Counted(rest.Count, "other run"), StartedBetween(rest.Min(r => r.StartedAt), rest.Max(r => r.StartedAt)), statuses,
            Format.Count(rest.Sum(r => r.RecordsRead)), Format.Count(rest.Sum(r => r.RecordsLoaded)), Format.Count(rest.Sum(r => r.RecordsDuplicate)),
            Format.Count(rest.Sum(r => r.RecordsRejected)), Format.Count(rest.Sum(r => r.RecordsFlagged)),
        ]);
    }

    /// <summary>
    /// The runs that failed or were cut short the runs table lists at most, so that it keeps room for the newest runs:
    /// 200 failed hourly loads were listed one by one (found by probing the report).
    /// </summary>
    public const int TableIncompleteRuns = TableRuns - 5;

    /// <summary>Printed under the ingest runs table when it adds runs up in one row: where to see each of them.</summary>
    public static string? FoldedRunsNote(ReportData d)
    {
        var (listed, folded) = SplitRuns(d.Quality.Runs);
        if (folded.Count == 0) return null;
        var which = folded.Any(r => r.Incomplete)
            ? $"The newest runs and the newest {Format.Count(listed.Count(r => r.Incomplete))} of the {Format.Count(d.Quality.Runs.Count(r => r.Incomplete))} runs that failed or were cut short and were not completed or resolved since are listed"
            : "The newest runs and every run that failed or was cut short and was not completed or resolved since are listed";
        return $"{which}, the other {Format.Count(folded.Count)} added up in the last row; llmlog export --table runs lists every run.";
    }

    /// <summary>How many of the runs that failed or were cut short the runs table lists (the newest), for the findings that send the reader there.</summary>
    public static int ListedIncompleteRuns(IReadOnlyList<IngestRunRow> runs) => SplitRuns(runs).Listed.Count(r => r.Incomplete);

    private static (List<IngestRunRow> Listed, List<IngestRunRow> Folded) SplitRuns(IReadOnlyList<IngestRunRow> runs)
    {
        if (runs.Count <= TableRuns + 1) return ([.. runs], []);
        // The newest others keep their places: incomplete runs past the limit took them, and the run that loaded the
        // period's data was added up with the rest (found by probing). Places the others do not fill go to incomplete runs.
        var others = runs.Count(r => !r.Incomplete);
        var incomplete = Math.Min(runs.Count - others, Math.Max(TableIncompleteRuns, TableRuns - others));
        var newest = TableRuns - incomplete;
        var listed = new List<IngestRunRow>();
        var rest = new List<IngestRunRow>();
        foreach (var r in runs)
        {
            if (r.Incomplete ? incomplete-- > 0 : newest-- > 0) listed.Add(r);
            else rest.Add(r);
        }
        return (listed, rest);
    }

    // Short enough for the column: the times within one day, else the days.
    private static string StartedBetween(DateTime first, DateTime last) => first.Date == last.Date
        ? $"{Started(first)}–{last.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}"
        : $"{Format.Day(DateOnly.FromDateTime(first))} to {Format.Day(DateOnly.FromDateTime(last))}";

    private static string Started(DateTime utc) => Format.Utc(utc).Replace(" UTC", "", StringComparison.Ordinal);

    private static string[] RunRow(IngestRunRow r) =>
    [
        Format.Count(r.RunId), r.FilePath, Started(r.StartedAt),
        RunStatus(r),
        Format.Count(r.RecordsRead), Format.Count(r.RecordsLoaded), Format.Count(r.RecordsDuplicate), Format.Count(r.RecordsRejected), Format.Count(r.RecordsFlagged),
    ];

    /// <summary>A run's status as the runs table says it: with the run that completed it, or that it was resolved by hand.</summary>
    internal static string RunStatus(IngestRunRow r) =>
        r.CompletedByRun is { } by ? $"{r.Status}, completed by run {Format.Count(by)}"
        : r.ResolvedAt is not null ? $"{r.Status}, resolved by hand"
        : r.Status;

    /// <summary>
    /// Printed under the ingest runs table when it lists runs resolved by hand: each one's day and note, whole. In the
    /// status cell, a note was cut to "resolv…" by the PDF's column (found by looking at the PDF).
    /// </summary>
    public static string? ResolvedRunsNote(ReportData d)
    {
        var resolved = SplitRuns(d.Quality.Runs).Listed.Where(r => r.CompletedByRun is null && r.ResolvedAt is not null).ToList();
        if (resolved.Count == 0) return null;
        return "Resolved by hand (llmlog runs resolve): " + string.Join("; ", resolved.Select(r =>
            $"run {Format.Count(r.RunId)} on {Format.Day(DateOnly.FromDateTime(r.ResolvedAt!.Value))}, “{r.ResolvedNote}”")) + ".";
    }

    public static readonly string[] RejectColumns = ["Field", "Records", "Example reason"];

    /// <summary>The reject reasons table shows this many fields, then one row for the rest, so its rows add up to the tile.</summary>
    public const int TopRejectReasons = 10;

    public static IEnumerable<string[]> RejectRows(ReportData d)
    {
        var reasons = d.Quality.RejectReasons;
        var rows = reasons.Take(TopRejectReasons).Select(r => new[] { r.Field, Format.Count(r.Records), r.ExampleReason });
        if (reasons.Count <= TopRejectReasons) return rows;
        var rest = reasons.Skip(TopRejectReasons).ToList();
        return rows.Append([$"other ({Format.Counted(rest.Count, "more field")})", Format.Count(rest.Sum(r => r.Records)), "llmlog export --table rejects --out - lists them all"]);
    }

    public static readonly string[] CompletenessColumns = ["Field", "Calls with it", "Share"];

    public static IEnumerable<string[]> CompletenessRows(ReportData d) =>
        d.Quality.Completeness.Select(c => new[] { c.Field, $"{Format.Count(c.Present)} of {Format.Count(c.Calls)}", Format.Share(c.Calls == 0 ? null : (double)c.Present / c.Calls) })
            .Concat(d.Quality.Flags.Select(f => new[] { "flag: " + f.Flag, Format.Count(f.Calls), Format.Share(d.Kpis.Calls == 0 ? null : (double)f.Calls / d.Kpis.Calls) }));
}
