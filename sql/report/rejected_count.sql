-- Records rejected in the period: by the day of `created` where it parsed, else counted always; a reject whose
-- record a later run loaded as a call (corrected, same id) is left out. How many of them are dated, and their first and last day, tell a period without calls whether it holds rejects of its own.
SELECT
  count(*) AS rejected,
  count(created_day) AS dated,
  min(created_day) AS first_day,
  max(created_day) AS last_day
FROM rejects
WHERE loaded_by_run IS NULL
  AND (created_day IS NULL OR (created_day >= CAST(@from_day AS DATE) AND created_day <= CAST(@to_day AS DATE)))
