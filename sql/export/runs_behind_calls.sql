-- The ingest runs that loaded the calls of a selection, for the manifest. Asked run by run (there are few)
-- whether one of its calls is in the selection, so PostgreSQL stops at the first through the run index
-- instead of reading every selected call for its run_id (1M calls: 0.8 s -> 1 ms).
SELECT r.run_id, r.file_path, r.file_sha256, r.status, r.finished_at
FROM ingest_runs AS r
WHERE EXISTS (
  SELECT 1
  FROM calls AS c
  WHERE c.run_id = r.run_id
    AND c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
ORDER BY r.run_id;
