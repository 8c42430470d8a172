-- The instants gathered in reject_created_ats onto the rejects kept before V021.
UPDATE rejects SET created_at = t.created_at
FROM reject_created_ats AS t
WHERE t.record_id = rejects.record_id;
