-- One ingest run, as `llmlog runs resolve` checks it before resolving it.
SELECT run_id, file_path, started_at, status, records_read, records_loaded, records_duplicate, records_rejected,
  message, completed_by_run, resolved_at, resolved_note,
  file_sha256 IS NOT NULL AS read_bytes
FROM ingest_runs
WHERE run_id = @run_id;
