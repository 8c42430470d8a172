-- daily_flag_set_calls: calls per UTC day and distinct non-empty flags list, as sql/report/flag_sets.sql counts them.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher.RefreshReportDays).
DELETE FROM daily_flag_set_calls WHERE day IN (SELECT day FROM report_dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_flag_set_calls (day, flags, calls)
WITH dirty_calls AS (
  SELECT day, flags FROM calls WHERE day IN (SELECT day FROM report_dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
)
SELECT day, flags, count(*)
FROM dirty_calls
WHERE flags <> ''
GROUP BY day, flags;
