SELECT records_read, records_loaded, records_duplicate, records_rejected, records_flagged
FROM ingest_runs WHERE run_id = @run_id;
