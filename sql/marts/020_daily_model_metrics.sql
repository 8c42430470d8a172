-- daily_model_metrics: one row per UTC day and model, rebuilt for the dirty days from the call rows.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher). The
-- range also gives PostgreSQL an index range on day and DuckDB row-group bounds instead of a whole-table read.
DELETE FROM daily_model_metrics WHERE day IN (SELECT day FROM dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_model_metrics (
  day, model, model_family, calls, streamed_calls, calls_with_usage,
  prompt_tokens, completion_tokens, total_tokens,
  p50_ttft_s, p95_ttft_s, p50_latency_s, p95_latency_s, avg_output_tokens_per_s,
  hit_max_tokens_calls, est_cost_usd, unpriced_calls, unpriced_calls_without_split)
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
  model,
  min(model_family),
  count(*),
  count(*) FILTER (WHERE stream),
  count(*) FILTER (WHERE NOT flag_missing_usage),
  CAST(sum(prompt_tokens) AS BIGINT),
  CAST(sum(completion_tokens) AS BIGINT),
  CAST(sum(total_tokens) AS BIGINT),
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY ttft_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY ttft_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION),
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION),
  CAST(avg(output_tokens_per_s) AS DOUBLE PRECISION),
  count(*) FILTER (WHERE hit_max_tokens),
  CAST(sum(cost_usd) AS DOUBLE PRECISION),
  count(*) FILTER (WHERE cost_source = 'unpriced'),
  count(*) FILTER (WHERE cost_source = 'unpriced' AND (prompt_tokens IS NULL OR completion_tokens IS NULL))
FROM facts
GROUP BY day, model;
