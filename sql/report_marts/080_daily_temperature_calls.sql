-- daily_temperature_calls: calls per UTC day and temperature as logged (NULL where not set); the report rounds
-- them itself, as from sql/report/temperatures.sql.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher.RefreshReportDays).
DELETE FROM daily_temperature_calls WHERE day IN (SELECT day FROM report_dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_temperature_calls (day, temperature, calls)
WITH dirty_calls AS (
  SELECT day, temperature FROM calls WHERE day IN (SELECT day FROM report_dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
)
SELECT day, temperature, count(*)
FROM dirty_calls
GROUP BY day, temperature;
