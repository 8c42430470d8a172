-- A reject seen before (same text, e.g. a forced re-read) is kept once.
INSERT INTO rejects
SELECT DISTINCT ON (s.record_id) s.*
FROM stage_rejects AS s
WHERE NOT EXISTS (SELECT 1 FROM rejects AS r WHERE r.record_id = s.record_id)
ORDER BY s.record_id, s.record_number;
