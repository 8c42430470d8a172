-- A record rejected by one run and loaded as a call by a later one (corrected at its source and ingested again,
-- as the reject's message asks) is no longer a rejected record. Its reject row stays, so that nothing read is
-- lost and each run's counts still add up, and says which run loaded the record (sql/load/
-- mark_rejects_loaded.sql); every count of rejected records reads only the rows where this is NULL.
-- Added last: the loaders write the columns in table order.
ALTER TABLE rejects ADD COLUMN loaded_by_run BIGINT;

-- Rejects of records already loaded as calls when this column was added (each reject knows its call id since V016).
UPDATE rejects SET loaded_by_run = c.run_id
FROM calls AS c
WHERE c.record_id = rejects.call_id;

-- Their days' data-quality counts change: the next refresh rebuilds them.
INSERT INTO dirty_days (day)
SELECT DISTINCT coalesce(r.created_day, CAST(i.started_at AS DATE)) AS day
FROM rejects AS r
JOIN ingest_runs AS i ON i.run_id = r.run_id
WHERE r.loaded_by_run IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM dirty_days AS d WHERE d.day = coalesce(r.created_day, CAST(i.started_at AS DATE)));
