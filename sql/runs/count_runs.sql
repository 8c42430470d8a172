-- How many runs list_runs.sql would list without its limit.
SELECT count(*)
FROM ingest_runs
WHERE NOT @open_only
   OR (status IN ('failed', 'partial') AND completed_by_run IS NULL AND resolved_at IS NULL);
