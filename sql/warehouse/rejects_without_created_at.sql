-- A page of the rejects with a day but no instant (kept before V021), in key order after @after. Read by
-- RejectCreatedInstants (migration V021).
SELECT record_id AS RecordId, raw AS Raw
FROM rejects
WHERE created_day IS NOT NULL
  AND created_at IS NULL
  AND record_id > @after
ORDER BY record_id
LIMIT @page;
