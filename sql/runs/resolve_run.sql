-- A person says what became of a failed or cut-short run's records (V026): the row keeps everything it recorded, and
-- gains when it was resolved and the person's note. A run resolved before keeps its first note.
UPDATE ingest_runs SET resolved_at = @resolved_at, resolved_note = @resolved_note
WHERE run_id = @run_id AND resolved_at IS NULL;
