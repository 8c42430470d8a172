-- The daily_model_metrics aggregates re-bucketed from the call rows by the local day in @zone
-- (a UTC day row cannot be shifted into a local day). Keep the SELECT list identical to
-- sql/marts/020_daily_model_metrics.sql; a test compares the two in UTC.
WITH calls_in_range AS (
  SELECT
    c.*,
    CAST((c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS DATE) AS local_day
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
),
costs AS (
  SELECT k.record_id, k.cost_usd, k.cost_source
  FROM call_costs AS k
  WHERE k.day >= CAST(@from_utc AS DATE) AND k.day <= CAST(@to_utc AS DATE)
),
facts AS (
  SELECT c.*, k.cost_usd, k.cost_source
  FROM calls_in_range AS c
  LEFT JOIN costs AS k ON k.record_id = c.record_id
)
SELECT
  local_day AS day,
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
GROUP BY local_day, model
ORDER BY local_day, model;
