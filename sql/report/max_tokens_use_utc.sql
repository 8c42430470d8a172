-- max_tokens_use.sql for UTC days of all models, from the daily_max_tokens_use_calls mart.
SELECT tenth AS bin, CAST(sum(calls) AS BIGINT) AS calls
FROM daily_max_tokens_use_calls
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
GROUP BY tenth
