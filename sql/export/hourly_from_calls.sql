-- The hourly_llm_metrics aggregates re-bucketed from the call rows by the local day and hour in
-- @zone, optionally for one model or family. Keep the SELECT list identical to
-- sql/marts/030_hourly_llm_metrics.sql.
WITH calls_in_range AS (
  SELECT
    (c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS local_at,
    c.total_tokens,
    c.latency_s
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  CAST(local_at AS DATE) AS day,
  -- EXTRACT is numeric on PostgreSQL and BIGINT on DuckDB; the cast makes both BIGINT.
  CAST(EXTRACT(HOUR FROM local_at) AS BIGINT) AS hour,
  count(*),
  CAST(sum(total_tokens) AS BIGINT),
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION)
FROM calls_in_range
GROUP BY CAST(local_at AS DATE), CAST(EXTRACT(HOUR FROM local_at) AS BIGINT)
ORDER BY 1, 2;
