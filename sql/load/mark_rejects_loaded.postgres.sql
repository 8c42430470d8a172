-- As mark_rejects_loaded.sql, written so that PostgreSQL can only look each candidate's call up by its primary key:
-- with EXISTS (... c.run_id = @run_id), an analyzed calls table made it scan all of the run's calls through
-- calls_run_idx for every candidate (15 s for 1,600 rejects and a 60,000-record file, found by probing a schedule).
-- A scalar subquery is never turned into a join, and the only condition in it is the key.
UPDATE rejects SET loaded_by_run = @run_id
WHERE loaded_by_run IS NULL
  AND call_id IS NOT NULL
  AND (SELECT c.run_id FROM calls AS c WHERE c.record_id = rejects.call_id) = @run_id;
