-- Export of the ingest runs that started in [@from_utc, @to_utc), or all of them (@all_days).
SELECT
  run_id, file_path, file_size, file_sha256, input_format, started_at, finished_at,
  records_read, records_loaded, records_duplicate, records_rejected, records_flagged,
  status, message, forced, tool_version, completed_by_run, resolved_at, resolved_note
FROM ingest_runs
WHERE @all_days OR (started_at >= @from_utc AND started_at < @to_utc)
ORDER BY run_id;
