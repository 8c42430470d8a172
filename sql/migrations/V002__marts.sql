-- The transform's tables: prices, per-call cost, and the marts every report reads. One file for both
-- engines; only shared types, so both hand the same CLR types to Dapper.

-- Every price table ever loaded, by the SHA-256 of its file bytes; exactly one is in force.
CREATE TABLE IF NOT EXISTS price_tables (
  price_table_sha256 TEXT PRIMARY KEY,
  source_path        TEXT NOT NULL,
  price_rows         BIGINT NOT NULL,
  loaded_at          TIMESTAMP NOT NULL,
  in_force           BOOLEAN NOT NULL
);

-- The rows of every loaded price table, kept so a cost can always be traced to the row that made it.
CREATE TABLE IF NOT EXISTS model_prices (
  price_table_sha256      TEXT NOT NULL,
  line_number             BIGINT NOT NULL,
  model_match             TEXT NOT NULL,
  match_type              TEXT NOT NULL,
  input_per_1m_usd        DOUBLE PRECISION NOT NULL,
  cached_input_per_1m_usd DOUBLE PRECISION,
  output_per_1m_usd       DOUBLE PRECISION NOT NULL,
  valid_from              DATE NOT NULL,
  valid_to                DATE,
  source                  TEXT,
  PRIMARY KEY (price_table_sha256, line_number)
);

-- The cost of each call, fixed when its day is first built so that a newer price table never rewrites
-- closed history; only 'llmlog transform --reprice' replaces these rows.
-- cost_source: 'logged' (metrics.cost in the record), 'computed' (price table), 'unpriced' (usage but no
-- price), 'no_usage' (no token counts and no logged cost; not a cost anyone can know).
-- Keys and indexes are per engine, as for calls: see V003__call_cost_keys.
CREATE TABLE IF NOT EXISTS call_costs (
  record_id          TEXT NOT NULL,
  day                DATE NOT NULL,
  cost_usd           DOUBLE PRECISION,
  cost_source        TEXT NOT NULL,
  price_table_sha256 TEXT,
  price_line_number  BIGINT,
  priced_at          TIMESTAMP NOT NULL
);

-- One row per UTC day. The column names and order are a public contract (dashboards, CSV export).
CREATE TABLE IF NOT EXISTS daily_llm_metrics (
  day                     DATE PRIMARY KEY,
  calls                   BIGINT NOT NULL,
  streamed_calls          BIGINT NOT NULL,
  non_streamed_calls      BIGINT NOT NULL,
  text_calls              BIGINT NOT NULL,
  json_schema_calls       BIGINT NOT NULL,
  calls_with_usage        BIGINT NOT NULL,
  prompt_tokens           BIGINT,
  completion_tokens       BIGINT,
  total_tokens            BIGINT,
  avg_ttft_s              DOUBLE PRECISION,
  p50_ttft_s              DOUBLE PRECISION,
  p95_ttft_s              DOUBLE PRECISION,
  p99_ttft_s              DOUBLE PRECISION,
  avg_latency_s           DOUBLE PRECISION,
  p50_latency_s           DOUBLE PRECISION,
  p95_latency_s           DOUBLE PRECISION,
  p99_latency_s           DOUBLE PRECISION,
  avg_ttft_text_s         DOUBLE PRECISION,
  avg_ttft_json_schema_s  DOUBLE PRECISION,
  avg_temperature         DOUBLE PRECISION,
  avg_max_tokens          DOUBLE PRECISION,
  avg_output_tokens_per_s DOUBLE PRECISION,
  hit_max_tokens_calls    BIGINT NOT NULL,
  est_cost_usd            DOUBLE PRECISION,
  unpriced_calls          BIGINT NOT NULL
);

-- One row per UTC day and model.
CREATE TABLE IF NOT EXISTS daily_model_metrics (
  day                     DATE NOT NULL,
  model                   TEXT NOT NULL,
  model_family            TEXT NOT NULL,
  calls                   BIGINT NOT NULL,
  streamed_calls          BIGINT NOT NULL,
  calls_with_usage        BIGINT NOT NULL,
  prompt_tokens           BIGINT,
  completion_tokens       BIGINT,
  total_tokens            BIGINT,
  p50_ttft_s              DOUBLE PRECISION,
  p95_ttft_s              DOUBLE PRECISION,
  p50_latency_s           DOUBLE PRECISION,
  p95_latency_s           DOUBLE PRECISION,
  avg_output_tokens_per_s DOUBLE PRECISION,
  hit_max_tokens_calls    BIGINT NOT NULL,
  est_cost_usd            DOUBLE PRECISION,
  unpriced_calls          BIGINT NOT NULL,
  PRIMARY KEY (day, model)
);

-- One row per UTC day and hour (0-23) that has calls: the hour-of-day heatmap.
CREATE TABLE IF NOT EXISTS hourly_llm_metrics (
  day           DATE NOT NULL,
  hour          BIGINT NOT NULL,
  calls         BIGINT NOT NULL,
  total_tokens  BIGINT,
  p95_latency_s DOUBLE PRECISION,
  PRIMARY KEY (day, hour)
);

-- One row per UTC day with calls or rejects: how far the day's numbers can be trusted.
CREATE TABLE IF NOT EXISTS data_quality_daily (
  day                                 DATE PRIMARY KEY,
  calls                               BIGINT NOT NULL,
  flagged_calls                       BIGINT NOT NULL,
  tokens_mismatch_calls               BIGINT NOT NULL,
  missing_usage_calls                 BIGINT NOT NULL,
  ttft_exceeds_latency_calls          BIGINT NOT NULL,
  completion_exceeds_max_tokens_calls BIGINT NOT NULL,
  rejected_records                    BIGINT NOT NULL,
  share_with_usage                    DOUBLE PRECISION,
  share_with_start_end                DOUBLE PRECISION,
  share_with_ttft                     DOUBLE PRECISION
);

-- A warehouse ingested before the marts existed has no marts yet: build every day on the next refresh.
INSERT INTO dirty_days (day)
SELECT DISTINCT c.day FROM calls AS c
WHERE NOT EXISTS (SELECT 1 FROM dirty_days AS d WHERE d.day = c.day);
