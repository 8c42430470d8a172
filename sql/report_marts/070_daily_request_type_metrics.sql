-- daily_request_type_metrics: per UTC day, model and request type (NULL where the record has none), the calls,
-- how many set a max_tokens limit (above 0: 0 is no limit, docs/ingest.md), how many of those report their completion
-- tokens (so whether they hit it is known), how many hit it, and the first call (the report lists types tied on hits in the
-- order they first occur). sql/report/request_types.sql and day_request_types.sql count the call rows instead.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher.RefreshReportDays).
DELETE FROM daily_request_type_metrics WHERE day IN (SELECT day FROM report_dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_request_type_metrics (day, model, request_type, calls, calls_with_max_tokens, calls_with_max_tokens_use, hit_max_tokens_calls, first_call_at)
WITH dirty_calls AS (
  SELECT * FROM calls WHERE day IN (SELECT day FROM report_dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
)
SELECT day, model, request_type, count(*), count(*) FILTER (WHERE max_tokens > 0),
  count(*) FILTER (WHERE max_tokens > 0 AND completion_tokens IS NOT NULL), count(*) FILTER (WHERE hit_max_tokens), min(created_at)
FROM dirty_calls
GROUP BY day, model, request_type;
