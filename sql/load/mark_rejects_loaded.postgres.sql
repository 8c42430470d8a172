-- As mark_rejects_loaded.sql, with nested loops off for this one statement. Once PostgreSQL had analyzed calls
-- (autovacuum does, on any warehouse in use), it estimated one row for this run's run_id, which the statistics had
-- never seen, and checked each candidate reject by scanning all of the run's calls through calls_run_idx: 15 s for
-- 1,600 rejects and a 60,000-record file (found by probing a schedule). Without nested loops it hashes one side
-- whatever the estimates say: 0.07 s there, and 0.12 s beside 141,000 earlier rejects, where looking each reject's
-- call up by key instead took 0.44 s (found by review: that cost grows with every reject ever kept).
SET LOCAL enable_nestloop = off;
UPDATE rejects SET loaded_by_run = @run_id
WHERE loaded_by_run IS NULL
  AND call_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM calls AS c WHERE c.record_id = rejects.call_id AND c.run_id = @run_id);
SET LOCAL enable_nestloop TO DEFAULT;
