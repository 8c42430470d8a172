-- The run's outcome, its counts taken from the rows it actually loaded (one scan of its calls).
UPDATE ingest_runs SET
  file_sha256       = @file_sha256,
  file_size         = @file_size,
  input_format      = @input_format,
  finished_at       = @finished_at,
  records_read      = @records_read,
  records_loaded    = loaded.calls,
  records_duplicate = @records_read - @records_rejected - loaded.calls,
  records_rejected  = @records_rejected,
  records_flagged   = loaded.flagged,
  status            = @status,
  message           = @message
FROM (
  SELECT count(*) AS calls, count(*) FILTER (WHERE flags <> '') AS flagged
  FROM calls
  WHERE run_id = @run_id
) AS loaded
WHERE run_id = @run_id;
