-- models.sql for UTC days of all models, from the marts: daily_model_metrics summed per model, and the calls
-- that set max_tokens (and of those, that report completion tokens) from daily_request_type_metrics.
WITH metrics AS (
  SELECT
    model,
    sum(calls) AS calls,
    sum(streamed_calls) AS streamed_calls,
    sum(calls_with_usage) AS calls_with_usage,
    coalesce(sum(prompt_tokens), 0) AS prompt_tokens,
    coalesce(sum(completion_tokens), 0) AS completion_tokens,
    coalesce(sum(total_tokens), 0) AS total_tokens,
    sum(hit_max_tokens_calls) AS hit_max_tokens_calls
  FROM daily_model_metrics
  WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
  GROUP BY model
),
limits AS (
  SELECT model, sum(calls_with_max_tokens) AS calls_with_max_tokens, sum(calls_with_max_tokens_use) AS calls_with_max_tokens_use
  FROM daily_request_type_metrics
  WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
  GROUP BY model
)
SELECT
  m.model,
  CAST(m.calls AS BIGINT) AS calls,
  CAST(m.streamed_calls AS BIGINT) AS streamed_calls,
  CAST(m.calls_with_usage AS BIGINT) AS calls_with_usage,
  CAST(m.prompt_tokens AS BIGINT) AS prompt_tokens,
  CAST(m.completion_tokens AS BIGINT) AS completion_tokens,
  CAST(m.total_tokens AS BIGINT) AS total_tokens,
  CAST(coalesce(l.calls_with_max_tokens, 0) AS BIGINT) AS calls_with_max_tokens,
  CAST(m.hit_max_tokens_calls AS BIGINT) AS hit_max_tokens_calls,
  CAST(coalesce(l.calls_with_max_tokens_use, 0) AS BIGINT) AS calls_with_max_tokens_use
FROM metrics AS m
LEFT JOIN limits AS l ON l.model = m.model
