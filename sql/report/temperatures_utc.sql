-- temperatures.sql for UTC days of all models, from the daily_temperature_calls mart.
SELECT temperature, CAST(sum(calls) AS BIGINT) AS calls
FROM daily_temperature_calls
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY temperature
