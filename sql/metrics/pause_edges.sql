-- The calls on either side of each pause in the warehouse's UTC days longer than @pause_days, whatever a summary or
-- report selects: the last call before it and the first after it. The caller judges the pause again in its own zone's
-- local days, so @pause_days is a little shorter than the pause that counts. One row per pause; few rows, read by day.
WITH d AS (
  SELECT day, lag(day) OVER (ORDER BY day) AS before_day
  FROM daily_llm_metrics
)
SELECT
  (SELECT max(c.created_at) FROM calls c WHERE c.day = d.before_day) AS last_before,
  (SELECT min(c.created_at) FROM calls c WHERE c.day = d.day) AS first_after
FROM d
WHERE d.before_day IS NOT NULL AND d.day - d.before_day - 1 > @pause_days
ORDER BY d.day;
