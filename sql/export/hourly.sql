-- Export of the UTC hour-of-day mart.
SELECT day, hour, calls, total_tokens, p95_latency_s
FROM hourly_llm_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
ORDER BY day, hour;
