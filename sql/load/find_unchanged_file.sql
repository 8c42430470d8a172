-- The bytes a file had when a run loaded it whole, or skipped it as loaded, under the same path, size and modification
-- time it has now: it is passed over without being read. Only those: a partial run's file, or one skipped as still
-- incomplete, is read again whatever its modification time (the status says which runs count).
SELECT file_sha256 FROM ingest_runs
WHERE file_path = @file_path AND file_size = @file_size AND file_modified_at = @file_modified_at
  AND status IN ('succeeded', 'skipped') AND file_sha256 IS NOT NULL
ORDER BY run_id DESC
LIMIT 1;
