SELECT run_id, status, message FROM ingest_runs
WHERE file_sha256 = @file_sha256 AND status IN ('succeeded', 'partial')
ORDER BY run_id
LIMIT 1;
