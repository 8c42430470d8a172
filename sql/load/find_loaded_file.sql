-- The first run that loaded these bytes, with its verdict on them: a rerun skips the file, and says so when that run
-- rejected more of it than the rerun's --max-reject-rate allows.
SELECT run_id, status, message, records_read, records_rejected FROM ingest_runs
WHERE file_sha256 = @file_sha256 AND status IN ('succeeded', 'partial')
ORDER BY run_id
LIMIT 1;
