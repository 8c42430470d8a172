-- The ingest runs that kept the rejects of a selection, for the manifest (the selection of export/rejects.sql).
SELECT r.run_id, r.file_path, r.file_sha256, r.status, r.finished_at
FROM ingest_runs AS r
WHERE r.run_id IN (
  SELECT DISTINCT j.run_id
  FROM rejects AS j
  WHERE @all_days
     OR (j.created_at >= @from_utc AND j.created_at < @to_utc)
)
ORDER BY r.run_id;
