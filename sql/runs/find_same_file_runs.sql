-- The other failed or cut-short runs of the file @run_id read, not completed since. They are resolved and reopened with
-- it: a rerun that one resolution let pass left the others listed as missing records, and the report said so (found by
-- probing). The same file is:
-- - for runs cut short, the same bytes, wherever and whenever they were read: a rerun skips cut bytes by their hash
--   alone (load/find_loaded_file.sql), so all their runs go together;
-- - otherwise the same bytes at the same path with the same modification time (a forced re-read, a schedule over a kept
--   error page): the same error page written again on a later day is a new failure. A run that kept no modification
--   time (recorded before the twenty-eighth session) goes alone.
SELECT o.run_id, o.file_path, o.started_at, o.status, o.records_read, o.records_loaded, o.records_duplicate, o.records_rejected,
  o.message, o.completed_by_run, o.resolved_at, o.resolved_note,
  o.file_sha256 IS NOT NULL AS read_bytes
FROM ingest_runs r
JOIN ingest_runs o
  ON o.file_sha256 = r.file_sha256
 AND o.run_id <> r.run_id
 AND (
   (r.status = 'partial' AND o.status = 'partial')
   OR (o.file_path = r.file_path AND o.file_modified_at = r.file_modified_at)
 )
WHERE r.run_id = @run_id
  AND o.status IN ('failed', 'partial')
  AND o.completed_by_run IS NULL
ORDER BY o.run_id;
