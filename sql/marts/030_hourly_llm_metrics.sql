-- hourly_llm_metrics: one row per UTC day and hour of day that has calls, for the heatmap.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher). The
-- range also gives PostgreSQL an index range on day and DuckDB row-group bounds instead of a whole-table read.
DELETE FROM hourly_llm_metrics WHERE day IN (SELECT day FROM dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO hourly_llm_metrics (day, hour, calls, total_tokens, p95_latency_s)
WITH dirty_calls AS (
  -- EXTRACT is numeric on PostgreSQL and BIGINT on DuckDB; the cast makes both BIGINT.
  SELECT day, CAST(EXTRACT(HOUR FROM created_at) AS BIGINT) AS hour, total_tokens, latency_s
  FROM calls
  WHERE day IN (SELECT day FROM dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
)
SELECT
  day,
  hour,
  count(*),
  CAST(sum(total_tokens) AS BIGINT),
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION)
FROM dirty_calls
GROUP BY day, hour;
