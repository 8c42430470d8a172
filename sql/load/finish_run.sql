UPDATE ingest_runs SET
  file_sha256       = @file_sha256,
  file_size         = @file_size,
  input_format      = @input_format,
  finished_at       = @finished_at,
  records_read      = @records_read,
  records_loaded    = (SELECT count(*) FROM calls WHERE run_id = @run_id),
  records_duplicate = @records_read - @records_rejected - (SELECT count(*) FROM calls WHERE run_id = @run_id),
  records_rejected  = @records_rejected,
  records_flagged   = (SELECT count(*) FROM calls WHERE run_id = @run_id AND flags <> ''),
  status            = @status,
  message           = @message
WHERE run_id = @run_id;
