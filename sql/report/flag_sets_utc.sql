-- flag_sets.sql for UTC days of all models, from the daily_flag_set_calls mart.
SELECT flags, CAST(sum(calls) AS BIGINT) AS calls
FROM daily_flag_set_calls
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY flags
