-- A page of the rejects that have no call_id but name a field at fault (only those can have one: a record that is
-- no object, or no JSON, names none), in key order after @after. Read by OlderRejectCallIds (migration V020).
SELECT record_id AS RecordId, raw AS Raw
FROM rejects
WHERE call_id IS NULL
  AND field IS NOT NULL
  AND record_id > @after
ORDER BY record_id
LIMIT @page;
