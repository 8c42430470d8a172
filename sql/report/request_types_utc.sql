-- request_types.sql for UTC days of all models, from the daily_request_type_metrics mart.
SELECT
  request_type,
  CAST(sum(calls) AS BIGINT) AS calls,
  CAST(sum(hit_max_tokens_calls) AS BIGINT) AS hit_max_tokens_calls,
  CAST(sum(calls_with_max_tokens_use) AS BIGINT) AS calls_with_max_tokens_use,
  min(first_call_at) AS first_call
FROM daily_request_type_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY request_type
