-- Every ingest run that loaded or rejected records of the selected period, and every input that could not be
-- read at all since the period began (its records are missing from every number), newest first.
WITH selected_calls AS (
  SELECT DISTINCT run_id
  FROM calls
  WHERE created_at >= @from_utc
    AND created_at < @to_utc
    AND (@model = '' OR model = @model OR model_family = @model)
),
selected_rejects AS (
  SELECT DISTINCT run_id
  FROM rejects
  WHERE created_day IS NULL OR (created_at >= @from_utc AND created_at < @to_utc)
)
SELECT
  r.run_id,
  r.file_path,
  r.started_at,
  r.status,
  r.records_read,
  r.records_loaded,
  r.records_duplicate,
  r.records_rejected,
  r.records_flagged,
  r.message,
  r.completed_by_run
FROM ingest_runs r
WHERE r.run_id IN (SELECT run_id FROM selected_calls)
   OR r.run_id IN (SELECT run_id FROM selected_rejects)
   OR (r.status = 'failed' AND r.started_at >= @from_utc)
ORDER BY r.started_at DESC, r.run_id DESC
