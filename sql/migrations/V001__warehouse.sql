-- The warehouse tables ingest writes. One file for PostgreSQL and DuckDB: only types both engines
-- share (TIMESTAMP holds UTC by convention; llmlog never writes local times).

CREATE SEQUENCE IF NOT EXISTS ingest_run_id_seq START 1;

-- One row per file (or standard input) an ingest looked at, whatever the outcome.
CREATE TABLE IF NOT EXISTS ingest_runs (
  run_id            BIGINT PRIMARY KEY,
  file_path         TEXT NOT NULL,
  file_size         BIGINT,
  file_sha256       TEXT,
  input_format      TEXT,
  started_at        TIMESTAMP NOT NULL,
  finished_at       TIMESTAMP,
  records_read      BIGINT NOT NULL DEFAULT 0,
  records_loaded    BIGINT NOT NULL DEFAULT 0,
  records_duplicate BIGINT NOT NULL DEFAULT 0,
  records_rejected  BIGINT NOT NULL DEFAULT 0,
  records_flagged   BIGINT NOT NULL DEFAULT 0,
  status            TEXT NOT NULL,
  message           TEXT,
  forced            BOOLEAN NOT NULL DEFAULT FALSE,
  tool_version      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ingest_runs_sha256_idx ON ingest_runs (file_sha256);

-- One row per accepted call. record_id is the record's own id, else a hash of its canonical JSON.
-- Keys and indexes are per engine: see V010__keys_and_indexes.
CREATE TABLE IF NOT EXISTS calls (
  record_id                          TEXT NOT NULL,
  created_at                         TIMESTAMP NOT NULL,
  day                                DATE NOT NULL,
  model                              TEXT NOT NULL,
  model_family                       TEXT NOT NULL,
  model_version                      TEXT,
  stream                             BOOLEAN,
  request_type                       TEXT,
  max_tokens                         BIGINT,
  temperature                        DOUBLE PRECISION,
  started_at                         TIMESTAMP,
  ended_at                           TIMESTAMP,
  latency_s                          DOUBLE PRECISION,
  ttft_s                             DOUBLE PRECISION,
  prompt_tokens                      BIGINT,
  completion_tokens                  BIGINT,
  total_tokens                       BIGINT,
  output_tokens_per_s                DOUBLE PRECISION,
  hit_max_tokens                     BOOLEAN,
  logged_cost_usd                    DOUBLE PRECISION,
  flags                              TEXT NOT NULL,
  flag_tokens_mismatch               BOOLEAN NOT NULL,
  flag_missing_usage                 BOOLEAN NOT NULL,
  flag_ttft_exceeds_latency          BOOLEAN NOT NULL,
  flag_completion_exceeds_max_tokens BOOLEAN NOT NULL,
  source_file                        TEXT NOT NULL,
  record_number                      BIGINT NOT NULL,
  line_number                        BIGINT,
  run_id                             BIGINT NOT NULL,
  raw                                TEXT NOT NULL
);

-- Every record that failed validation, with where it was and why. Nothing is dropped without a row here.
CREATE TABLE IF NOT EXISTS rejects (
  record_id     TEXT NOT NULL,
  run_id        BIGINT NOT NULL,
  source_file   TEXT NOT NULL,
  record_number BIGINT NOT NULL,
  line_number   BIGINT,
  byte_offset   BIGINT,
  field         TEXT,
  reason        TEXT NOT NULL,
  created_day   DATE,
  raw           TEXT NOT NULL
);

-- Days whose marts must be rebuilt. Ingest adds to it in the same transaction as the rows, and the
-- transform empties it in the same transaction as the marts, so a crash between the two is healed
-- by the next run.
CREATE TABLE IF NOT EXISTS dirty_days (
  day DATE PRIMARY KEY
);
