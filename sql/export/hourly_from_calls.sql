-- The hourly_llm_metrics aggregates re-bucketed from the call rows by the local day and hour in
-- @zone, optionally for one model or family. Keep the first columns of the SELECT list identical to
-- sql/marts/030_hourly_llm_metrics.sql; hour_start comes last (docs/export.md).
WITH calls_in_range AS (
  SELECT
    c.created_at,
    (c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS local_at,
    c.total_tokens,
    c.latency_s
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
),
hours_of_calls AS (
  SELECT
    CAST(local_at AS DATE) AS day,
    -- EXTRACT is numeric on PostgreSQL and BIGINT on DuckDB; the cast makes both BIGINT.
    CAST(EXTRACT(HOUR FROM local_at) AS BIGINT) AS hour,
    -- The instant the call's local hour began: the call's instant less the time the wall clock has run
    -- since the hour's :00. The hour repeated when the clocks go back is then two keys (01:00 at UTC-4 and
    -- at UTC-5), and a +05:30 or +05:45 zone's hour starts at :30 or :15 UTC, as it really does.
    created_at - (local_at - date_trunc('hour', local_at)) AS hour_start,
    total_tokens,
    latency_s
  FROM calls_in_range
)
SELECT
  day,
  hour,
  count(*),
  CAST(sum(total_tokens) AS BIGINT),
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION),
  hour_start
FROM hours_of_calls
GROUP BY day, hour, hour_start
ORDER BY day, hour, hour_start;
