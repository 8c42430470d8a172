-- The warehouse's models, most calls first, for the hint when --model matches none of them.
SELECT model, min(model_family) AS model_family, CAST(sum(calls) AS BIGINT) AS calls
FROM daily_model_metrics
GROUP BY model
ORDER BY calls DESC, model COLLATE "C";
