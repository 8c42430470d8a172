-- A run that read a file while it was still being written (cut short, or empty) is completed by the later run that
-- read the whole file: one whose first bytes are exactly the bytes the earlier run read. The earlier run's row stays
-- as it was and names the later run (sql/load/mark_run_completed.sql); the report no longer says its records are
-- missing. Added last: the loaders write the columns in table order.
ALTER TABLE ingest_runs ADD COLUMN completed_by_run BIGINT;
