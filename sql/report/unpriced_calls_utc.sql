-- unpriced_calls.sql for UTC days of all models, from the daily_model_metrics mart: per model, the unpriced calls that
-- log no prompt/completion split, and the last UTC day of the others, without joining every call to its cost (2 s of
-- a 4 s report at 10M calls; found by the benchmark).
SELECT
  model,
  CAST(sum(unpriced_calls_without_split) AS BIGINT) AS without_split,
  max(day) FILTER (WHERE unpriced_calls > unpriced_calls_without_split) AS last_day_with_split
FROM daily_model_metrics
WHERE unpriced_calls > 0
  AND day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY model
