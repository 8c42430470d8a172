-- The ingest runs that loaded the calls of a selection, for the manifest.
SELECT r.run_id, r.file_path, r.file_sha256, r.status, r.finished_at
FROM ingest_runs AS r
WHERE r.run_id IN (
  SELECT DISTINCT c.run_id
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
ORDER BY r.run_id;
