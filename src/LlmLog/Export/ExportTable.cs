namespace LlmLog.Export;

/// <summary>
/// One table <c>llmlog export --table</c> can write: its name on the command line, the warehouse table it
/// comes from, its columns in order, and the column that holds its day (for --partition-by day and the manifest).
/// <paramref name="ReadsAggregates"/> is false for the tables an ingest writes whole in its own transaction (runs,
/// rejects); the others are, or carry (the calls' costs), what the refresh after the load builds, and are never
/// exported stale.
/// </summary>
public sealed record ExportTable(string Name, string WarehouseTable, IReadOnlyList<ExportColumn> Columns, string? DayColumn, bool Partitionable, bool ReadsAggregates)
{
    /// <summary>The tables, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<ExportTable> All { get; } =
    [
        new("calls", "calls", CallsColumns(), "day", Partitionable: true, ReadsAggregates: true),
        new("daily", "daily_llm_metrics", DailyColumns(), "day", Partitionable: true, ReadsAggregates: true),
        new("daily-model", "daily_model_metrics", DailyModelColumns(), "day", Partitionable: true, ReadsAggregates: true),
        new("hourly", "hourly_llm_metrics", HourlyColumns(), "day", Partitionable: true, ReadsAggregates: true),
        new("rejects", "rejects", RejectsColumns(), "created_day", Partitionable: false, ReadsAggregates: false) { DayOfInstantColumn = "created_at" },
        new("runs", "ingest_runs", RunsColumns(), null, Partitionable: false, ReadsAggregates: false),
    ];

    public static ExportTable Named(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new LlmLogException(ExitCode.Usage, $"--table '{name}' is not a table llmlog exports; use one of {string.Join(", ", All.Select(t => t.Name))}");

    public int DayOrdinal => DayColumn is null ? -1 : Columns.ToList().FindIndex(c => c.Name == DayColumn);

    /// <summary>
    /// The instant whose local day in --timezone is a row's day for the manifest and the log, where the day column is
    /// always the UTC day (a reject's <c>created_day</c>); null where the day column is already local.
    /// </summary>
    public string? DayOfInstantColumn { get; init; }

    public int DayOfInstantOrdinal => DayOfInstantColumn is null ? -1 : Columns.ToList().FindIndex(c => c.Name == DayOfInstantColumn);

    private static ExportColumn T(string name, string description, bool nullable = true, bool mayBeEmpty = false) => new(name, ColumnType.Text, nullable, description, mayBeEmpty);
    private static ExportColumn I(string name, string description, bool nullable = true) => new(name, ColumnType.BigInt, nullable, description);
    private static ExportColumn F(string name, string description) => new(name, ColumnType.Double, true, description);
    private static ExportColumn B(string name, string description, bool nullable = true) => new(name, ColumnType.Boolean, nullable, description);
    private static ExportColumn D(string name, string description, bool nullable = true) => new(name, ColumnType.Date, nullable, description);
    private static ExportColumn Ts(string name, string description, bool nullable = true) => new(name, ColumnType.Timestamp, nullable, description);

    private static List<ExportColumn> CallsColumns() =>
    [
        T("record_id", "The record's own id, else a hash of its canonical JSON", nullable: false),
        Ts("created_at", "When the call was created", nullable: false),
        D("day", "Day of created_at (UTC, or in --timezone)", nullable: false),
        T("model", "Model name as logged", nullable: false),
        T("model_family", "Model without its version suffix", nullable: false),
        T("model_version", "Version suffix of the model name"),
        B("stream", "Streamed call"),
        T("request_type", "Request type (text, json_schema, ...)"),
        I("max_tokens", "max_tokens of the request"),
        F("temperature", "Temperature of the request"),
        Ts("started_at", "metrics.start"),
        Ts("ended_at", "metrics.end"),
        F("latency_s", "end - start, seconds"),
        F("ttft_s", "Time to first token, seconds"),
        I("prompt_tokens", "Prompt tokens"),
        I("completion_tokens", "Completion tokens"),
        I("total_tokens", "Total tokens"),
        F("output_tokens_per_s", "Completion tokens / latency"),
        B("hit_max_tokens", "Completion tokens reached max_tokens"),
        F("logged_cost_usd", "metrics.cost when the record logged one"),
        F("cost_usd", "Cost of the call: logged, or computed from the price valid on its day; NULL when unknown"),
        T("cost_source", "logged, computed, unpriced or no_usage"),
        T("flags", "Comma-separated data-quality flags; empty when the call has none", nullable: false, mayBeEmpty: true),
        B("flag_tokens_mismatch", "tokens != prompt + completion", nullable: false),
        B("flag_missing_usage", "No token counts", nullable: false),
        B("flag_ttft_exceeds_latency", "TTFT > latency", nullable: false),
        B("flag_completion_exceeds_max_tokens", "Completion tokens > max_tokens", nullable: false),
        T("source_file", "File the call was read from", nullable: false),
        I("record_number", "1-based record number in that file", nullable: false),
        I("line_number", "Line of the record in that file"),
        I("run_id", "Ingest run that loaded it", nullable: false),
        // Last, as it came: a table created from an earlier export's calls.sql loads the older columns unchanged.
        I("prompt_cached_tokens", "Prompt tokens read from the provider's cache (metrics.prompt_cached_tokens), priced at the cached rate"),
    ];

    // Exactly the daily_llm_metrics contract of the transform (docs/metrics.md), names and order.
    private static List<ExportColumn> DailyColumns() =>
    [
        D("day", "Day (UTC, or in --timezone)", nullable: false),
        I("calls", "All accepted calls", nullable: false),
        I("streamed_calls", "Streamed calls", nullable: false),
        I("non_streamed_calls", "Non-streamed calls", nullable: false),
        I("text_calls", "Calls of request type text", nullable: false),
        I("json_schema_calls", "Calls of request type json_schema", nullable: false),
        I("calls_with_usage", "Calls whose token counts are present", nullable: false),
        I("prompt_tokens", "Sum of prompt tokens over calls with usage"),
        I("completion_tokens", "Sum of completion tokens over calls with usage"),
        I("total_tokens", "Sum of total tokens over calls with usage"),
        F("avg_ttft_s", "Average time to first token, seconds"),
        F("p50_ttft_s", "Median time to first token, seconds"),
        F("p95_ttft_s", "95th percentile time to first token, seconds"),
        F("p99_ttft_s", "99th percentile time to first token, seconds"),
        F("avg_latency_s", "Average latency, seconds"),
        F("p50_latency_s", "Median latency, seconds"),
        F("p95_latency_s", "95th percentile latency, seconds"),
        F("p99_latency_s", "99th percentile latency, seconds"),
        F("avg_ttft_text_s", "Average TTFT of text calls, seconds"),
        F("avg_ttft_json_schema_s", "Average TTFT of json_schema calls, seconds"),
        F("avg_temperature", "Average temperature over calls that have one"),
        F("avg_max_tokens", "Average max_tokens over calls that set a limit (0 is no limit)"),
        F("avg_output_tokens_per_s", "Average completion tokens / latency over calls with usage"),
        I("hit_max_tokens_calls", "Calls whose completion reached max_tokens", nullable: false),
        F("est_cost_usd", "Sum of priced calls' cost, USD"),
        I("unpriced_calls", "Calls with usage whose model has no price", nullable: false),
    ];

    private static List<ExportColumn> DailyModelColumns() =>
    [
        D("day", "Day (UTC, or in --timezone)", nullable: false),
        T("model", "Model name", nullable: false),
        T("model_family", "Model family", nullable: false),
        I("calls", "Calls", nullable: false),
        I("streamed_calls", "Streamed calls", nullable: false),
        I("calls_with_usage", "Calls whose token counts are present", nullable: false),
        I("prompt_tokens", "Sum of prompt tokens"),
        I("completion_tokens", "Sum of completion tokens"),
        I("total_tokens", "Sum of total tokens"),
        F("p50_ttft_s", "Median time to first token, seconds"),
        F("p95_ttft_s", "95th percentile time to first token, seconds"),
        F("p50_latency_s", "Median latency, seconds"),
        F("p95_latency_s", "95th percentile latency, seconds"),
        F("avg_output_tokens_per_s", "Average completion tokens / latency"),
        I("hit_max_tokens_calls", "Calls whose completion reached max_tokens", nullable: false),
        F("est_cost_usd", "Sum of priced calls' cost, USD"),
        I("unpriced_calls", "Calls with usage whose model has no price", nullable: false),
        // Added with V027: it comes last, so a table made from an earlier export's schema file loads the new CSV once
        // the column is added to it.
        I("unpriced_calls_without_split", "Of the unpriced calls, those with no prompt/completion split, which no price can cost", nullable: false),
    ];

    private static List<ExportColumn> HourlyColumns() =>
    [
        D("day", "Day (UTC, or in --timezone)", nullable: false),
        I("hour", "Hour of day, 0-23", nullable: false),
        I("calls", "Calls", nullable: false),
        I("total_tokens", "Sum of total tokens"),
        F("p95_latency_s", "95th percentile latency, seconds"),
        // Last, as it came: a table made from an earlier export's hourly.sql takes it with ADD COLUMN and keeps its columns in place.
        Ts("hour_start", "The instant the local hour starts; tells apart the two rows of an hour repeated when the clocks go back", nullable: false),
    ];

    private static List<ExportColumn> RejectsColumns() =>
    [
        T("record_id", "SHA-256 of the record's canonical JSON (of its bytes when it is no JSON object); -k for its k-th copy in one input", nullable: false),
        I("run_id", "Ingest run that read it", nullable: false),
        T("source_file", "File it was read from", nullable: false),
        I("record_number", "1-based record number", nullable: false),
        I("line_number", "Line in the file"),
        I("byte_offset", "Byte offset in the decompressed input"),
        T("field", "Field at fault"),
        T("reason", "Why it was rejected", nullable: false),
        D("created_day", "UTC day of created, when it could be read"),
        T("raw", "The original text; empty when the input ended where a record should have begun", nullable: false, mayBeEmpty: true),
        // Last, like every column added after the first release, so loads into tables made from an earlier export keep working.
        T("call_id", "The id the record would have as a call (its own id, else the hash of its canonical JSON), to join it to calls; NULL when it is no well-formed object or its id is what is wrong with it"),
        I("loaded_by_run", "The run that later loaded this record as a call (corrected at its source, same id); NULL while it is still a rejected record"),
        Ts("created_at", "The instant of created, when it could be read (in UTC, or in --timezone's offset)"),
    ];

    private static List<ExportColumn> RunsColumns() =>
    [
        I("run_id", "Ingest run id", nullable: false),
        T("file_path", "Input path", nullable: false),
        I("file_size", "Bytes"),
        T("file_sha256", "SHA-256 of the file bytes"),
        T("input_format", "Recognised input shape"),
        Ts("started_at", "Run start", nullable: false),
        Ts("finished_at", "Run end"),
        I("records_read", "Records read", nullable: false),
        I("records_loaded", "Records loaded", nullable: false),
        I("records_duplicate", "Records already in the warehouse", nullable: false),
        I("records_rejected", "Records rejected", nullable: false),
        I("records_flagged", "Records loaded with a flag", nullable: false),
        T("status", "succeeded, partial, failed or skipped", nullable: false),
        T("message", "What went wrong, if anything"),
        B("forced", "Run with --force", nullable: false),
        T("tool_version", "llmlog version", nullable: false),
        // Last, as it came: a table created from an earlier export's runs.sql loads the older columns unchanged.
        I("completed_by_run", "The run that later read the whole file, when this one read it while it was still being written"),
        Ts("resolved_at", "When a person resolved this failed or cut-short run by hand (llmlog runs resolve)"),
        T("resolved_note", "What became of its records, as the person who resolved it wrote"),
    ];
}
