-- kpis.sql for UTC days of all models, from the marts: the same counts summed over the days' rows of
-- daily_llm_metrics, data_quality_daily and daily_report_metrics, without reading the call rows.
WITH metrics AS (
  SELECT
    CAST(coalesce(sum(calls), 0) AS BIGINT) AS calls,
    CAST(coalesce(sum(total_tokens), 0) AS BIGINT) AS total_tokens,
    CAST(coalesce(sum(calls_with_usage), 0) AS BIGINT) AS calls_with_usage,
    CAST(coalesce(sum(streamed_calls), 0) AS BIGINT) AS streamed_calls,
    CAST(coalesce(sum(hit_max_tokens_calls), 0) AS BIGINT) AS hit_max_tokens_calls
  FROM daily_llm_metrics
  WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
),
quality AS (
  SELECT CAST(coalesce(sum(flagged_calls), 0) AS BIGINT) AS flagged_calls
  FROM data_quality_daily
  WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
),
report AS (
  SELECT
    CAST(coalesce(sum(calls_with_start_end), 0) AS BIGINT) AS calls_with_start_end,
    CAST(coalesce(sum(calls_with_ttft), 0) AS BIGINT) AS calls_with_ttft,
    CAST(coalesce(sum(calls_with_stream), 0) AS BIGINT) AS calls_with_stream,
    CAST(coalesce(sum(calls_with_request_type), 0) AS BIGINT) AS calls_with_request_type,
    CAST(coalesce(sum(calls_with_temperature), 0) AS BIGINT) AS calls_with_temperature,
    CAST(coalesce(sum(calls_with_max_tokens), 0) AS BIGINT) AS calls_with_max_tokens,
    max(newest_call_at) AS newest_call,
    CAST(coalesce(sum(usage_calls), 0) AS BIGINT) AS calls_with_total_tokens
  FROM daily_report_metrics
  WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
)
SELECT
  m.calls,
  m.total_tokens,
  m.calls_with_usage,
  m.streamed_calls,
  q.flagged_calls,
  m.hit_max_tokens_calls,
  r.calls_with_start_end,
  r.calls_with_ttft,
  r.calls_with_stream,
  r.calls_with_request_type,
  r.calls_with_temperature,
  r.calls_with_max_tokens,
  r.newest_call,
  r.calls_with_total_tokens
FROM metrics AS m, quality AS q, report AS r
