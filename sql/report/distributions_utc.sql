-- distributions.sql for UTC days of all models: the daily_model_distributions bins of the days merged.
SELECT
  model,
  measure,
  bin,
  CAST(sum(calls) AS BIGINT) AS calls,
  CAST(sum(sum_value) AS DOUBLE PRECISION) AS sum_value,
  min(min_value) AS min_value,
  max(max_value) AS max_value
FROM daily_model_distributions
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY model, measure, bin
