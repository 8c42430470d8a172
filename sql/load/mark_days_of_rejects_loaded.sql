-- The days on which the rejects this run loaded as calls (mark_rejects_loaded.sql) were counted: a reject counts on
-- the day of its 'created', else on the day its run started (see data_quality_daily). This run's own days are
-- marked by mark_dirty_days.sql.
INSERT INTO dirty_days (day)
SELECT DISTINCT coalesce(r.created_day, CAST(i.started_at AS DATE)) AS day
FROM rejects AS r
JOIN ingest_runs AS i ON i.run_id = r.run_id
WHERE r.loaded_by_run = @run_id
  AND r.run_id <> @run_id
  AND NOT EXISTS (SELECT 1 FROM dirty_days AS d WHERE d.day = coalesce(r.created_day, CAST(i.started_at AS DATE)));
