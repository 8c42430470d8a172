-- daily_report_metrics: what the report shows per UTC day beside the daily_llm_metrics contract — how many
-- calls have each field, the newest call, streamed TTFT p95 (exact, as every per-day number) and the tokens
-- and calls behind the average tokens per call with usage. sql/report/day_extras.sql and kpis.sql compute the
-- same from the call rows for another zone or a model filter; a test keeps the two equal.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher.RefreshReportDays).
DELETE FROM daily_report_metrics WHERE day IN (SELECT day FROM report_dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_report_metrics (
  day, calls_with_start_end, calls_with_ttft, calls_with_stream, calls_with_request_type, calls_with_temperature,
  calls_with_max_tokens, newest_call_at, p95_ttft_streamed_s, usage_tokens, usage_calls)
WITH dirty_calls AS (
  SELECT * FROM calls WHERE day IN (SELECT day FROM report_dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
)
SELECT
  day,
  count(*) FILTER (WHERE started_at IS NOT NULL AND ended_at IS NOT NULL),
  count(ttft_s),
  count(stream),
  count(request_type),
  count(temperature),
  count(max_tokens),
  max(created_at),
  -- For non-streamed calls TTFT is the whole call, so the streamed percentile leaves them out.
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY CASE WHEN stream THEN ttft_s END) AS DOUBLE PRECISION),
  CAST(sum(total_tokens) FILTER (WHERE NOT flag_missing_usage) AS BIGINT),
  count(total_tokens) FILTER (WHERE NOT flag_missing_usage)
FROM dirty_calls
GROUP BY day;
