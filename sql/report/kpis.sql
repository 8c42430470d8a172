-- The headline numbers of the selection in one row: counts, token total, latency percentiles, how complete
-- each field is, the spread of latencies (for the histogram's bins) and the median share of max_tokens used.
-- One scan of the calls for all of them: at 10M calls every extra scan costs a few tenths of a second. Bounds are UTC instants (the report turns local days into them), so one query serves every
-- time zone. Cost counts come with the costs (cost_by_day.sql): joining call_costs here too would double
-- the most expensive step of the report.
WITH selected AS (
  SELECT
    c.*,
    CASE WHEN c.max_tokens > 0 AND c.completion_tokens IS NOT NULL THEN CAST(c.completion_tokens AS DOUBLE PRECISION) / c.max_tokens END AS max_tokens_use
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
),
totals AS (
  SELECT
    count(*) AS calls,
    CAST(coalesce(sum(total_tokens), 0) AS BIGINT) AS total_tokens,
    count(*) FILTER (WHERE NOT flag_missing_usage) AS calls_with_usage,
    -- Both latency percentiles from one sort of the latencies rather than two.
    percentile_cont(ARRAY[CAST(0.5 AS DOUBLE PRECISION), CAST(0.95 AS DOUBLE PRECISION)]) WITHIN GROUP (ORDER BY latency_s) AS latency_q,
    -- For non-streamed calls TTFT is the whole call, so the streamed percentile leaves them out.
    CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY CASE WHEN stream THEN ttft_s END) AS DOUBLE PRECISION) AS p95_ttft_streamed_s,
    count(*) FILTER (WHERE stream) AS streamed_calls,
    count(*) FILTER (WHERE flags <> '') AS flagged_calls,
    count(*) FILTER (WHERE hit_max_tokens) AS hit_max_tokens_calls,
    count(*) FILTER (WHERE started_at IS NOT NULL AND ended_at IS NOT NULL) AS calls_with_start_end,
    count(ttft_s) AS calls_with_ttft,
    count(stream) AS calls_with_stream,
    count(request_type) AS calls_with_request_type,
    count(temperature) AS calls_with_temperature,
    count(max_tokens) AS calls_with_max_tokens,
    max(created_at) AS newest_call,
    count(latency_s) AS calls_with_latency,
    count(*) FILTER (WHERE latency_s > 0) AS calls_with_positive_latency,
    min(latency_s) AS min_latency_s,
    max(latency_s) AS max_latency_s,
    min(latency_s) FILTER (WHERE latency_s > 0) AS min_positive_latency_s,
    max(latency_s) FILTER (WHERE latency_s > 0) AS max_positive_latency_s,
    -- Completion tokens as a share of max_tokens, over the calls max_tokens_use.sql bins.
    CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY max_tokens_use) AS DOUBLE PRECISION) AS median_max_tokens_use
  FROM selected
)
SELECT
  calls,
  total_tokens,
  calls_with_usage,
  CAST(latency_q[1] AS DOUBLE PRECISION) AS p50_latency_s,
  CAST(latency_q[2] AS DOUBLE PRECISION) AS p95_latency_s,
  p95_ttft_streamed_s,
  streamed_calls,
  flagged_calls,
  hit_max_tokens_calls,
  calls_with_start_end,
  calls_with_ttft,
  calls_with_stream,
  calls_with_request_type,
  calls_with_temperature,
  calls_with_max_tokens,
  newest_call,
  calls_with_latency,
  calls_with_positive_latency,
  min_latency_s,
  max_latency_s,
  min_positive_latency_s,
  max_positive_latency_s,
  median_max_tokens_use
FROM totals
