-- When a file was last modified, as its run read it: a file whose path, size and modification time are those of a
-- run that loaded it (or skipped it as loaded) is passed over without reading it again. A scheduled ingest of a
-- landing folder that keeps its files read every one of them again each run, to hash it, and recorded a skipped
-- run for each: after a month of hourly runs, 47,266 skipped rows beside 782 loads (found by probing a schedule).
-- Runs recorded before have none, and their files are hashed once more, then remembered. IF NOT EXISTS: an upgrade
-- interrupted after this statement goes on with the next run.
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS file_modified_at TIMESTAMP;
