-- The price tables (by hash) that produced the costs of the period, as the transform records them.
SELECT DISTINCT price_table_hash
FROM daily_model_metrics
WHERE day >= CAST(@from_day AS DATE)
  AND day <= CAST(@to_day AS DATE)
  AND price_table_hash IS NOT NULL
ORDER BY price_table_hash
