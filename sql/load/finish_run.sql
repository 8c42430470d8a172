-- The run's outcome. Its counts are taken from the rows it actually loaded (one scan of its calls), or
-- given as @records_loaded and @records_flagged when the load itself counted them: a file copied straight
-- into calls lands whole or not at all, so the rows it sent are the rows loaded, and the scan is skipped.
UPDATE ingest_runs SET
  file_sha256       = @file_sha256,
  file_size         = @file_size,
  input_format      = @input_format,
  finished_at       = @finished_at,
  records_read      = @records_read,
  records_loaded    = coalesce(@records_loaded, loaded.calls),
  records_duplicate = @records_read - @records_rejected - coalesce(@records_loaded, loaded.calls),
  records_rejected  = @records_rejected,
  records_flagged   = coalesce(@records_flagged, loaded.flagged),
  status            = @status,
  message           = @message
FROM (
  SELECT count(*) AS calls, count(*) FILTER (WHERE flags <> '') AS flagged
  FROM calls
  WHERE run_id = @run_id
    AND @records_loaded IS NULL
) AS loaded
WHERE run_id = @run_id;
