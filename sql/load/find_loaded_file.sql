-- The run that loaded these bytes, with its verdict on them: a rerun skips the file, and says so when that run
-- rejected more of it than the rerun's --max-reject-rate allows, or found it cut short (unless a later run read the
-- whole file those bytes were cut from: completed_by_run, or a person resolved that run by hand: resolved_at).
-- Bytes a run failed on are read again each time (the file may be fixed in place), unless a person resolved that run
-- by hand and the file is the one it failed on: a landing folder that kept the error page it resolved failed every
-- scheduled run (found by probing). Only at its path: a failure to read (an I/O error) hashes good bytes, and their
-- copy elsewhere must load (found by review). Only while unchanged (the same modification time): the same error page,
-- or an empty file, written there again on a later day is a new failure, not the one resolved (found by probing).
-- A run whose verdict is settled comes first: after --force read the same cut bytes twice, resolving the newer run
-- still left reruns failing on the older one (found by review).
SELECT run_id, file_path, status, message, records_read, records_rejected, completed_by_run, resolved_at, resolved_note
FROM ingest_runs
WHERE file_sha256 = @file_sha256
  AND (status IN ('succeeded', 'partial')
       OR (status = 'failed' AND resolved_at IS NOT NULL AND file_path = @file_path AND file_modified_at = @file_modified_at)
       -- A gzip cut inside a member fails; once a run read its whole file, a copy of those bytes is as settled as the
       -- bytes of a run cut short, and failed on every run before (found by probing). Not empty bytes: every empty file
       -- has them.
       OR (status = 'failed' AND completed_by_run IS NOT NULL AND file_size > 0))
ORDER BY
  CASE WHEN status = 'succeeded' THEN 0 WHEN completed_by_run IS NOT NULL OR resolved_at IS NOT NULL THEN 1 ELSE 2 END,
  run_id
LIMIT 1;
