-- Estimated cost per UTC day and model from the transform's mart (the price valid on each day).
SELECT
  day,
  model,
  est_cost_usd,
  unpriced_calls
FROM daily_model_metrics
WHERE day >= CAST(@from_day AS DATE)
  AND day <= CAST(@to_day AS DATE)
  AND (@model = '' OR model = @model OR model LIKE @model || '%')
ORDER BY day, model
