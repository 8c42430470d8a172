-- day_extras.sql for UTC days of all models, from the daily_report_metrics mart.
SELECT day, p95_ttft_streamed_s, usage_tokens, usage_calls
FROM daily_report_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
