-- A record is judged once. This run's rejects that another run holds as a call (an older llmlog loaded
-- it, and today's rules reject it; or the same id came first with a valid record), or that this run loaded
-- as a call from an earlier line of the file, are duplicates of that call: removed here, and counted as
-- duplicates by finish_run; their record numbers are returned, so that the run does not say they were kept.
-- (A bad copy *before* its call in the file is a record read corrected: mark_rejects_loaded.sql.) The candidates are the run's few rejects; calls are read by record_id
-- (PostgreSQL's primary key; a DuckDB scan of one column).
DELETE FROM rejects
WHERE run_id = @run_id
  AND (
    call_id IN (
      SELECT record_id FROM calls
      WHERE run_id <> @run_id
        AND record_id IN (SELECT call_id FROM rejects WHERE run_id = @run_id AND call_id IS NOT NULL)
    )
    OR EXISTS (
      SELECT 1 FROM calls AS c
      WHERE c.run_id = @run_id AND c.record_id = rejects.call_id AND c.record_number < rejects.record_number
    )
  )
RETURNING record_number;
