-- A reject seen before (same text, e.g. a forced re-read) is kept once.
INSERT INTO rejects
SELECT s.*
FROM stage_rejects AS s
WHERE NOT EXISTS (SELECT 1 FROM rejects AS r WHERE r.record_id = s.record_id)
  AND NOT EXISTS (SELECT 1 FROM stage_rejects AS d WHERE d.record_id = s.record_id AND d.record_number < s.record_number);
