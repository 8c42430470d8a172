-- Every ingest run that loaded or rejected records of the selected period, and every input that could not be
-- read at all, or was cut short, since the period began (its records, of days unknown, are missing from every
-- number), newest first.
-- A rejected record without a readable created time belongs to no day, and every period counts it; its run is listed
-- for the days of its other records, and in every period only when it has no other records (a file of such records
-- alone): a weekly report listed every daily run since the first, each for one undated bad line (found by probing).
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
  WHERE created_at >= @from_utc AND created_at < @to_utc
),
undated_only AS (
  SELECT run_id
  FROM rejects
  GROUP BY run_id
  HAVING count(created_day) = 0
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
  r.completed_by_run,
  -- A failed run that could not open its file read no bytes to hash: what completes it differs (docs/ingest.md).
  r.file_sha256 IS NOT NULL AS read_bytes,
  -- Resolved by hand (llmlog runs resolve): the report prints the note and no longer says the records are missing.
  r.resolved_at,
  r.resolved_note
FROM ingest_runs r
WHERE r.run_id IN (SELECT run_id FROM selected_calls)
   OR r.run_id IN (SELECT run_id FROM selected_rejects)
   OR (r.run_id IN (SELECT run_id FROM undated_only) AND r.records_loaded = 0 AND r.records_duplicate = 0)
   OR (r.status IN ('failed', 'partial') AND r.started_at >= @from_utc)
ORDER BY r.started_at DESC, r.run_id DESC
