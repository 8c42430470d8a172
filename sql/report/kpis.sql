-- The headline counts of the selection in one row: calls, token total, how complete each field is and the
-- newest call. Percentiles and the spread of latencies come from distributions.sql; cost counts come with the
-- costs (cost_by_day.sql). Bounds are UTC instants (the report turns local days into them), so one query
-- serves every time zone. For UTC days of all models the report reads kpis_utc.sql instead.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  count(*) AS calls,
  CAST(coalesce(sum(total_tokens), 0) AS BIGINT) AS total_tokens,
  count(*) FILTER (WHERE NOT flag_missing_usage) AS calls_with_usage,
  count(*) FILTER (WHERE stream) AS streamed_calls,
  count(*) FILTER (WHERE flags <> '') AS flagged_calls,
  count(*) FILTER (WHERE hit_max_tokens) AS hit_max_tokens_calls,
  count(*) FILTER (WHERE started_at IS NOT NULL AND ended_at IS NOT NULL) AS calls_with_start_end,
  count(ttft_s) AS calls_with_ttft,
  count(stream) AS calls_with_stream,
  count(request_type) AS calls_with_request_type,
  count(temperature) AS calls_with_temperature,
  count(max_tokens) AS calls_with_max_tokens,
  max(created_at) AS newest_call,
  -- A call that logs only its prompt or its completion tokens has usage but no total.
  count(total_tokens) FILTER (WHERE NOT flag_missing_usage) AS calls_with_total_tokens
FROM selected
