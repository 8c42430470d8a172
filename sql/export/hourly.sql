-- Export of the UTC hour-of-day mart. A UTC hour starts at its day's midnight plus the hour; hour_start is
-- last, after the mart's own columns (docs/export.md).
SELECT
  day,
  hour,
  calls,
  total_tokens,
  p95_latency_s,
  CAST(day AS TIMESTAMP) + hour * INTERVAL '1 hour' AS hour_start
FROM hourly_llm_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
ORDER BY day, hour;
