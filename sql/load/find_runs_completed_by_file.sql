-- Earlier runs of this path that were cut short or failed on fewer bytes than this run read, and that no run has
-- completed yet: each is checked by FileIngester, which hashes this file's first file_size bytes against the
-- earlier run's file_sha256 (a file read while it was still being written). A run that could not open the file at
-- all (no permission) has no hash: the same size and modification time, as the skip of an unchanged file
-- (find_unchanged_file.sql) takes them, say this run read the file it could not; a file written anew since
-- completes nothing.
SELECT run_id, file_size, file_sha256
FROM ingest_runs
WHERE file_path = @file_path
  AND status IN ('partial', 'failed')
  AND completed_by_run IS NULL
  AND (
    (file_sha256 IS NOT NULL AND file_size < @file_size)
    OR (file_sha256 IS NULL AND status = 'failed' AND file_size = @file_size AND file_modified_at = @file_modified_at)
  )
ORDER BY run_id;
