-- hours.sql for UTC hours of all models, from the hourly_llm_metrics mart (one row per UTC day and hour with
-- calls): the same counts and token sums without reading the call rows.
SELECT
  CAST(day AS TIMESTAMP) + hour * INTERVAL '1 hour' AS hour_start,
  calls,
  CAST(coalesce(total_tokens, 0) AS BIGINT) AS tokens
FROM hourly_llm_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
ORDER BY hour_start
