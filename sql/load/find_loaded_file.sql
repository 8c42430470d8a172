-- The first run that loaded these bytes, with its verdict on them: a rerun skips the file, and says so when that run
-- rejected more of it than the rerun's --max-reject-rate allows, or found it cut short (unless a later run read the
-- whole file those bytes were cut from: completed_by_run, or a person resolved that run by hand: resolved_note).
-- Bytes a run failed on are read again each time (the file may be fixed in place), unless a person resolved that
-- run by hand: a landing folder that keeps the error page it resolved failed every scheduled run (found by probing).
-- An empty file is never skipped so: it is every empty file.
SELECT run_id, file_path, status, message, records_read, records_rejected, completed_by_run, resolved_note FROM ingest_runs
WHERE file_sha256 = @file_sha256
  AND (status IN ('succeeded', 'partial') OR (status = 'failed' AND resolved_at IS NOT NULL AND file_size > 0))
ORDER BY CASE WHEN status = 'failed' THEN 1 ELSE 0 END, run_id
LIMIT 1;
