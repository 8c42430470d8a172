-- The ingest runs `llmlog runs` lists, newest first: with @open_only, those that failed or were cut short and that
-- neither a later run completed (completed_by_run) nor a person resolved (resolved_at): the runs whose records the
-- report says may be missing (src/LlmLog/Report/ReportData.cs, IngestRunRow.Incomplete, asks the same). Each row also
-- carries how many runs match and how many of them are open, counted before the limit (all rows, when it lists every run).
WITH runs AS (
  SELECT
    run_id, file_path, started_at, status, records_read, records_loaded, records_duplicate, records_rejected,
    message, completed_by_run, resolved_at, resolved_note,
    file_sha256 IS NOT NULL AS read_bytes,
    (status IN ('failed', 'partial') AND completed_by_run IS NULL AND resolved_at IS NULL) AS is_open
  FROM ingest_runs
)
SELECT
  run_id, file_path, started_at, status, records_read, records_loaded, records_duplicate, records_rejected,
  message, completed_by_run, resolved_at, resolved_note, read_bytes,
  count(*) OVER () AS total,
  count(CASE WHEN is_open THEN 1 END) OVER () AS open_total
FROM runs
WHERE is_open OR NOT @open_only
ORDER BY started_at DESC, run_id DESC
LIMIT @limit;
