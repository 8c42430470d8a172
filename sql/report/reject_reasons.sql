-- Rejected records of the period grouped by the field at fault, with one example reason each; a reject whose
-- record a later run loaded as a call (corrected, same id) is left out.
-- Reasons quote the bad value, so grouping by reason text would split one cause into many rows. Every field is
-- returned (there are a few dozen at most): the report shows the top ones and one row for the rest, so its rows add up.
-- COLLATE "C" orders by code point on both engines: in a PostgreSQL database with an ICU collation the example was
-- another reason than DuckDB's for the same records (found by probing both engines).
SELECT
  coalesce(field, '(whole record)') AS field,
  count(*) AS records,
  min(reason COLLATE "C") AS example_reason
FROM rejects
WHERE loaded_by_run IS NULL
  AND (created_day IS NULL OR (created_at >= @from_utc AND created_at < @to_utc))
GROUP BY coalesce(field, '(whole record)')
ORDER BY records DESC, coalesce(field, '(whole record)') COLLATE "C"
