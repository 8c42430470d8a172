-- An earlier run read this file's first bytes while it was still being written, and this run read the whole file:
-- the earlier run's row stays as it was and names this run (its cut reject: mark_cut_reject_read.sql).
UPDATE ingest_runs SET completed_by_run = @run_id WHERE run_id = @earlier_run_id;
