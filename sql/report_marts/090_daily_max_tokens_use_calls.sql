-- daily_max_tokens_use_calls: per UTC day, calls that set max_tokens and report completion tokens per tenth of
-- the limit used (0-9), and reaching it (10), as sql/report/max_tokens_use.sql bins them.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher.RefreshReportDays).
DELETE FROM daily_max_tokens_use_calls WHERE day IN (SELECT day FROM report_dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_max_tokens_use_calls (day, tenth, calls)
WITH dirty_calls AS (
  SELECT day, CAST(completion_tokens AS DOUBLE PRECISION) / max_tokens AS use
  FROM calls
  WHERE day IN (SELECT day FROM report_dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
    AND max_tokens > 0
    AND completion_tokens IS NOT NULL
)
SELECT
  day,
  -- trunc before the cast: a cast to an integer rounds on both engines.
  CASE WHEN use >= 1 THEN 10 ELSE least(9, CAST(trunc(use * 10) AS BIGINT)) END AS tenth,
  count(*)
FROM dirty_calls
GROUP BY 1, 2;
