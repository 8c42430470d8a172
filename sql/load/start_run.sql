INSERT INTO ingest_runs (run_id, file_path, file_size, file_sha256, input_format, started_at, status, forced, tool_version, file_modified_at)
VALUES (nextval('ingest_run_id_seq'), @file_path, @file_size, @file_sha256, @input_format, @started_at, 'running', @forced, @tool_version, @file_modified_at)
RETURNING run_id;
