-- Keep the first occurrence of a record within the file, and nothing that is already loaded.
INSERT INTO calls
SELECT DISTINCT ON (s.record_id) s.*
FROM stage_calls AS s
WHERE NOT EXISTS (SELECT 1 FROM calls AS c WHERE c.record_id = s.record_id)
ORDER BY s.record_id, s.record_number;
