-- The ingest runs that kept the rejects of a selection, for the manifest (the selection of export/rejects.sql).
SELECT r.run_id, r.file_path, r.file_sha256, r.status, r.finished_at
FROM ingest_runs AS r
WHERE r.run_id IN (
  SELECT DISTINCT j.run_id
  FROM rejects AS j
  WHERE @all_days
     OR (j.created_at >= @from_utc AND j.created_at < @to_utc)
     OR (j.created_at IS NULL AND j.created_day >= CAST(@from_day AS DATE) AND j.created_day <= CAST(@to_day AS DATE))
)
ORDER BY r.run_id;
