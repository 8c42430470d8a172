-- daily_llm_metrics: one row per UTC day, rebuilt for the dirty days from the call rows (so an
-- incremental refresh and a full rebuild give the same rows). The same aggregates, over a local day,
-- are in sql/metrics/daily_llm_metrics_from_calls.sql; a test keeps the two equal.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher). The
-- range also gives PostgreSQL an index range on day and DuckDB row-group bounds instead of a whole-table read.
DELETE FROM daily_llm_metrics WHERE day IN (SELECT day FROM dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_llm_metrics (
  day, calls, streamed_calls, non_streamed_calls, text_calls, json_schema_calls, calls_with_usage,
  prompt_tokens, completion_tokens, total_tokens,
  avg_ttft_s, p50_ttft_s, p95_ttft_s, p99_ttft_s,
  avg_latency_s, p50_latency_s, p95_latency_s, p99_latency_s,
  avg_ttft_text_s, avg_ttft_json_schema_s, avg_temperature, avg_max_tokens, avg_output_tokens_per_s,
  hit_max_tokens_calls, est_cost_usd, unpriced_calls)
WITH dirty_calls AS (
  SELECT * FROM calls WHERE day IN (SELECT day FROM dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
),
dirty_costs AS (
  SELECT record_id, cost_usd, cost_source FROM call_costs WHERE day IN (SELECT day FROM dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
),
facts AS (
  SELECT c.*, k.cost_usd, k.cost_source
  FROM dirty_calls AS c
  LEFT JOIN dirty_costs AS k ON k.record_id = c.record_id
)
SELECT
  day,
  count(*),
  count(*) FILTER (WHERE stream),
  count(*) FILTER (WHERE NOT stream),
  count(*) FILTER (WHERE request_type = 'text'),
  count(*) FILTER (WHERE request_type = 'json_schema'),
  count(*) FILTER (WHERE NOT flag_missing_usage),
  CAST(sum(prompt_tokens) AS BIGINT),
  CAST(sum(completion_tokens) AS BIGINT),
  CAST(sum(total_tokens) AS BIGINT),
  CAST(avg(ttft_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY ttft_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY ttft_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.99) WITHIN GROUP (ORDER BY ttft_s) AS DOUBLE PRECISION),
  CAST(avg(latency_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION),
  CAST(avg(ttft_s) FILTER (WHERE request_type = 'text') AS DOUBLE PRECISION),
  CAST(avg(ttft_s) FILTER (WHERE request_type = 'json_schema') AS DOUBLE PRECISION),
  CAST(avg(temperature) AS DOUBLE PRECISION),
  CAST(avg(nullif(max_tokens, 0)) AS DOUBLE PRECISION),
  CAST(avg(output_tokens_per_s) AS DOUBLE PRECISION),
  count(*) FILTER (WHERE hit_max_tokens),
  CAST(sum(cost_usd) AS DOUBLE PRECISION),
  count(*) FILTER (WHERE cost_source = 'unpriced')
FROM facts
GROUP BY day;
