-- Records rejected in the period: by the day of `created` where it parsed, else counted always. How many of them
-- are dated, and their first and last day, tell a period without calls whether it holds rejects of its own. A
-- reject whose record a later run loaded as a call (sent again corrected, same id) is not among them: it is
-- counted apart, as loaded_later, for the report to say that the correction went in: in the period of its date (or
-- of the call loaded in its place, load/date_rejects_loaded.sql), never in every period as an undated reject is.
SELECT
  count(*) FILTER (WHERE loaded_by_run IS NULL) AS rejected,
  count(created_day) FILTER (WHERE loaded_by_run IS NULL) AS dated,
  min(created_day) FILTER (WHERE loaded_by_run IS NULL) AS first_day,
  max(created_day) FILTER (WHERE loaded_by_run IS NULL) AS last_day,
  count(created_day) FILTER (WHERE loaded_by_run IS NOT NULL) AS loaded_later
FROM rejects
WHERE created_day IS NULL OR (created_at >= @from_utc AND created_at < @to_utc)
