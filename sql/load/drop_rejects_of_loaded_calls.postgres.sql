-- As drop_rejects_of_loaded_calls.sql, written so that PostgreSQL can only look each candidate's call up by its
-- primary key. Once PostgreSQL had analyzed calls (autovacuum does, on any warehouse in use), it estimated one row for
-- this run's run_id, which the statistics had never seen, and checked every reject by scanning all of the run's calls
-- through calls_run_idx: 39 s for 1,168 rejects among 60,000 records, 241 s for 2,435 among 250,000 (found by probing
-- a schedule). Here no condition on calls but its key can use an index.
DELETE FROM rejects
WHERE run_id = @run_id
  AND call_id IS NOT NULL
  AND EXISTS (
    SELECT 1 FROM calls AS c
    WHERE c.record_id = rejects.call_id
      AND (c.run_id <> @run_id OR c.record_number < rejects.record_number)
  )
RETURNING record_number;
