-- Runs of other paths that were cut short or failed on fewer bytes than this run read (any number, for a gzip file,
-- which FileIngester passes as the largest), and that no run has completed yet: a log a run caught mid-line and that
-- was then rotated by a rename (app.jsonl to app.jsonl.1, as logrotate does, or to app.jsonl.1.gz, compressed) is read
-- whole under its new name. FileIngester keeps those of this file's own folder and checks their bytes against
-- this file's first ones, as for this path's own runs (find_runs_completed_by_file.sql). A handful of rows: a run is
-- listed here only until one completes it.
SELECT run_id, file_path, file_size, file_sha256
FROM ingest_runs
WHERE file_path <> @file_path
  AND status IN ('partial', 'failed')
  AND completed_by_run IS NULL
  AND file_sha256 IS NOT NULL
  -- Bytes are what tell a renamed log, and a run that found its file empty read none: every file starts with them.
  -- Only its own path completes it (find_runs_completed_by_file.sql).
  AND file_size > 0
  AND file_size < @file_size
ORDER BY run_id;
