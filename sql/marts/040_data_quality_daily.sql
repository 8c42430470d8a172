-- data_quality_daily: per UTC day, the flagged calls, the rejected records and how complete the calls
-- are. A reject counts on the day of its 'created' where that parsed, else on the day its run started; one whose
-- record a later run loaded as a call (corrected, same id) no longer counts.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher). The
-- range also gives PostgreSQL an index range on day and DuckDB row-group bounds instead of a whole-table read.
DELETE FROM data_quality_daily WHERE day IN (SELECT day FROM dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO data_quality_daily (
  day, calls, flagged_calls, tokens_mismatch_calls, missing_usage_calls, ttft_exceeds_latency_calls,
  completion_exceeds_max_tokens_calls, rejected_records, share_with_usage, share_with_start_end, share_with_ttft)
WITH dirty_calls AS (
  SELECT * FROM calls WHERE day IN (SELECT day FROM dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
),
all_rejects AS (
  SELECT run_id, created_day FROM rejects WHERE loaded_by_run IS NULL
),
runs AS (
  SELECT run_id, CAST(started_at AS DATE) AS run_day FROM ingest_runs
),
rejects_by_day AS (
  SELECT COALESCE(r.created_day, i.run_day) AS day
  FROM all_rejects AS r
  JOIN runs AS i ON i.run_id = r.run_id
),
call_days AS (
  SELECT
    day,
    count(*) AS calls,
    count(*) FILTER (WHERE flags <> '') AS flagged_calls,
    count(*) FILTER (WHERE flag_tokens_mismatch) AS tokens_mismatch_calls,
    count(*) FILTER (WHERE flag_missing_usage) AS missing_usage_calls,
    count(*) FILTER (WHERE flag_ttft_exceeds_latency) AS ttft_exceeds_latency_calls,
    count(*) FILTER (WHERE flag_completion_exceeds_max_tokens) AS completion_exceeds_max_tokens_calls,
    CAST(count(*) FILTER (WHERE NOT flag_missing_usage) AS DOUBLE PRECISION) / count(*) AS share_with_usage,
    CAST(count(*) FILTER (WHERE started_at IS NOT NULL AND ended_at IS NOT NULL) AS DOUBLE PRECISION) / count(*) AS share_with_start_end,
    CAST(count(*) FILTER (WHERE ttft_s IS NOT NULL) AS DOUBLE PRECISION) / count(*) AS share_with_ttft
  FROM dirty_calls
  GROUP BY day
),
reject_days AS (
  SELECT day, count(*) AS rejected_records
  FROM rejects_by_day
  WHERE day IN (SELECT day FROM dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
  GROUP BY day
),
all_days AS (
  SELECT day FROM call_days
  UNION
  SELECT day FROM reject_days
)
SELECT
  d.day,
  COALESCE(c.calls, 0),
  COALESCE(c.flagged_calls, 0),
  COALESCE(c.tokens_mismatch_calls, 0),
  COALESCE(c.missing_usage_calls, 0),
  COALESCE(c.ttft_exceeds_latency_calls, 0),
  COALESCE(c.completion_exceeds_max_tokens_calls, 0),
  COALESCE(r.rejected_records, 0),
  c.share_with_usage,
  c.share_with_start_end,
  c.share_with_ttft
FROM all_days AS d
LEFT JOIN call_days AS c ON c.day = d.day
LEFT JOIN reject_days AS r ON r.day = d.day;
