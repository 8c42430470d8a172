-- A page of the rejects an llmlog before V024 kept, every one keyed by the hash of its bytes, in key order after
-- @after. Read by RejectContentIds (migration V024), which keys those that are JSON by their canonical form.
SELECT record_id AS RecordId, raw AS Raw
FROM rejects
WHERE record_id > @after
ORDER BY record_id
LIMIT @page;
