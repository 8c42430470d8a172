-- A file whose bytes were already loaded successfully: remembered, not re-read.
INSERT INTO ingest_runs (run_id, file_path, file_size, file_sha256, input_format, started_at, finished_at, status, message, forced, tool_version, file_modified_at)
VALUES (nextval('ingest_run_id_seq'), @file_path, @file_size, @file_sha256, NULL, @started_at, @started_at, 'skipped', @message, FALSE, @tool_version, @file_modified_at)
RETURNING run_id;
