-- Export of the UTC per-model daily mart, optionally for one model or family.
SELECT
  day, model, model_family, calls, streamed_calls, calls_with_usage,
  prompt_tokens, completion_tokens, total_tokens,
  p50_ttft_s, p95_ttft_s, p50_latency_s, p95_latency_s, avg_output_tokens_per_s,
  hit_max_tokens_calls, est_cost_usd, unpriced_calls, unpriced_calls_without_split
FROM daily_model_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
  AND (@model = '' OR model = @model OR model_family = @model)
ORDER BY day, model;
