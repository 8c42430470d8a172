-- The UTC daily mart, as llmlog summary and the reports read it.
SELECT
  day, calls, streamed_calls, non_streamed_calls, text_calls, json_schema_calls, calls_with_usage,
  prompt_tokens, completion_tokens, total_tokens,
  avg_ttft_s, p50_ttft_s, p95_ttft_s, p99_ttft_s,
  avg_latency_s, p50_latency_s, p95_latency_s, p99_latency_s,
  avg_ttft_text_s, avg_ttft_json_schema_s, avg_temperature, avg_max_tokens, avg_output_tokens_per_s,
  hit_max_tokens_calls, est_cost_usd, unpriced_calls
FROM daily_llm_metrics
WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
ORDER BY day;
