-- The call rows a report needs, for the selected period and model, with each call's cost as the
-- transform fixed it. Bounds are UTC instants (the report turns local days into them), so one query
-- serves every time zone; distributions, per-hour usage and per-model percentiles are built from these rows.
WITH selected AS (
  SELECT *
  FROM calls
  WHERE created_at >= @from_utc
    AND created_at < @to_utc
    AND (@model = '' OR model = @model OR model_family = @model)
),
costs AS (
  SELECT record_id, cost_usd, cost_source
  FROM call_costs
  WHERE day >= CAST(@from_utc AS DATE) AND day <= CAST(@to_utc AS DATE)
)
SELECT
  c.created_at,
  c.model,
  c.stream,
  c.request_type,
  c.max_tokens,
  c.temperature,
  c.latency_s,
  c.ttft_s,
  c.prompt_tokens,
  c.completion_tokens,
  c.total_tokens,
  c.output_tokens_per_s,
  c.hit_max_tokens,
  k.cost_usd,
  k.cost_source,
  c.flags,
  c.flag_missing_usage,
  c.started_at IS NOT NULL AND c.ended_at IS NOT NULL AS has_start_end,
  c.run_id
FROM selected AS c
LEFT JOIN costs AS k ON k.record_id = c.record_id
ORDER BY c.created_at, c.record_id
