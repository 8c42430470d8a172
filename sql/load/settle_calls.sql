-- Move the staged calls in, keeping the first occurrence of a record within the file and nothing
-- that is already loaded. Two anti-joins on record_id rather than DISTINCT ON, so the wide raw
-- column is never sorted.
INSERT INTO calls
SELECT s.*
FROM stage_calls AS s
WHERE NOT EXISTS (SELECT 1 FROM calls AS c WHERE c.record_id = s.record_id)
  AND NOT EXISTS (SELECT 1 FROM stage_calls AS d WHERE d.record_id = s.record_id AND d.record_number < s.record_number);
