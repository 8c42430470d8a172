-- cost_by_day.sql for UTC days of all models, from the daily_model_metrics mart: the same sum of each call's
-- cost per day and model, without joining 10M calls to their costs. A NULL cost means no call of the group
-- has one. Whether any of the costs was computed from a price table is asked by any_computed_cost.sql.
SELECT day, model, est_cost_usd AS cost_usd, unpriced_calls
FROM daily_model_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
