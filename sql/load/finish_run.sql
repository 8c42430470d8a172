-- The run's outcome. Its counts are taken from the rows it actually kept (one scan of its calls and
-- rejects), or given as @records_loaded, @records_flagged and @records_rejected when the load itself
-- counted them: a file copied straight into calls and rejects lands whole or not at all, so the rows it
-- sent are the rows kept, and the scans are skipped. A record already kept by another run, call or
-- reject, is a duplicate, so the rejects of every run add up to the rows in rejects.
UPDATE ingest_runs SET
  file_sha256       = @file_sha256,
  file_size         = @file_size,
  input_format      = @input_format,
  finished_at       = @finished_at,
  records_read      = @records_read,
  records_loaded    = coalesce(@records_loaded, loaded.calls),
  records_duplicate = @records_read - coalesce(@records_rejected, kept.rejects) - coalesce(@records_loaded, loaded.calls),
  records_rejected  = coalesce(@records_rejected, kept.rejects),
  records_flagged   = coalesce(@records_flagged, loaded.flagged),
  status            = @status,
  message           = @message
FROM (
  SELECT count(*) AS calls, count(*) FILTER (WHERE flags <> '') AS flagged
  FROM calls
  WHERE run_id = @run_id
    AND @records_loaded IS NULL
) AS loaded, (
  SELECT count(*) AS rejects
  FROM rejects
  WHERE run_id = @run_id
    AND @records_rejected IS NULL
) AS kept
WHERE run_id = @run_id;
