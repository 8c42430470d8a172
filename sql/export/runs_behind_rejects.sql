-- The ingest runs that kept the rejects of a selection, for the manifest.
SELECT r.run_id, r.file_path, r.file_sha256, r.status, r.finished_at
FROM ingest_runs AS r
WHERE r.run_id IN (
  SELECT DISTINCT j.run_id
  FROM rejects AS j
  WHERE @all_days
     OR (j.created_day >= CAST(@from_day AS DATE) AND j.created_day <= CAST(@to_day AS DATE))
)
ORDER BY r.run_id;
