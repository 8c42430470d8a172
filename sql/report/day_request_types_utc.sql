-- day_request_types.sql for UTC days of all models, from the daily_request_type_metrics mart.
SELECT day, request_type, CAST(sum(calls) AS BIGINT) AS calls
FROM daily_request_type_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY day, request_type
