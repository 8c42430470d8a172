-- Undoes resolve_run.sql (llmlog runs reopen): the run is open again, and the report says its records may be missing.
UPDATE ingest_runs SET resolved_at = NULL, resolved_note = NULL
WHERE run_id = @run_id;
