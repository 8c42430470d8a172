-- The call rows a report needs, for the selected period and model. Bounds are UTC instants (the
-- report turns local days into them), so one query serves every time zone; charts that need single
-- calls (distributions, per-hour usage) and the per-day figures are both built from these rows.
SELECT
  created_at,
  model,
  stream,
  request_type,
  max_tokens,
  temperature,
  latency_s,
  ttft_s,
  prompt_tokens,
  completion_tokens,
  total_tokens,
  output_tokens_per_s,
  hit_max_tokens,
  logged_cost_usd,
  flags,
  flag_missing_usage,
  started_at IS NOT NULL AND ended_at IS NOT NULL AS has_start_end,
  run_id
FROM calls
WHERE created_at >= @from_utc
  AND created_at < @to_utc
  AND (@model = '' OR model = @model OR model_family = @model)
ORDER BY created_at, record_id
