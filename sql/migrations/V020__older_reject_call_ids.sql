-- Rejects an llmlog before V016 kept have no call_id, so a record fixed at its source and ingested again under the
-- same id loaded as a call while its reject went on counting as rejected. Before this file runs, the migrator gives
-- them the id they would have as a call, read from their raw text as ingest reads it (OlderRejectCallIds.cs, since
-- a record's canonical hash is no SQL); here, as V017 did, the rejects of records already held as calls are marked.
UPDATE rejects SET loaded_by_run = c.run_id
FROM calls AS c
WHERE c.record_id = rejects.call_id
  AND rejects.loaded_by_run IS NULL;

-- Their days' data-quality counts change: the next refresh rebuilds them.
INSERT INTO dirty_days (day)
SELECT DISTINCT coalesce(r.created_day, CAST(i.started_at AS DATE)) AS day
FROM rejects AS r
JOIN ingest_runs AS i ON i.run_id = r.run_id
WHERE r.loaded_by_run IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM dirty_days AS d WHERE d.day = coalesce(r.created_day, CAST(i.started_at AS DATE)));
