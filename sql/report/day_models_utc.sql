-- day_models.sql for UTC days of all models, from the daily_model_metrics mart (one row per day and model).
SELECT day, model, CAST(sum(calls) AS BIGINT) AS calls, max(p95_latency_s) AS p95_latency_s
FROM daily_model_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY day, model
