-- The marts the report reads in UTC instead of scanning every call (docs/report.md): per UTC day, what the
-- report shows beside daily_llm_metrics; per day and model, log-binned histograms of the measures whose
-- period-wide percentiles it quotes; per day, the small breakdowns of its charts and the price tables used. One file for both
-- engines; keys and indexes are per engine (V014__report_mart_keys), as for calls.

-- One row per UTC day with calls.
CREATE TABLE IF NOT EXISTS daily_report_metrics (
  day                     DATE NOT NULL,
  calls_with_start_end    BIGINT NOT NULL,
  calls_with_ttft         BIGINT NOT NULL,
  calls_with_stream       BIGINT NOT NULL,
  calls_with_request_type BIGINT NOT NULL,
  calls_with_temperature  BIGINT NOT NULL,
  calls_with_max_tokens   BIGINT NOT NULL,
  newest_call_at          TIMESTAMP NOT NULL,
  p95_ttft_streamed_s     DOUBLE PRECISION,
  usage_tokens            BIGINT,
  usage_calls             BIGINT NOT NULL
);

-- One row per UTC day, model, measure and bin with values: how many, their sum (of each value rounded to a
-- millionth, so that it is exact), smallest and largest.
-- bin is floor(ln(value) / ln(1.01)) for a value above zero (bins 1 % wide), -1000000 for zero.
CREATE TABLE IF NOT EXISTS daily_model_distributions (
  day       DATE NOT NULL,
  model     TEXT NOT NULL,
  measure   TEXT NOT NULL,
  bin       BIGINT NOT NULL,
  calls     BIGINT NOT NULL,
  sum_value DOUBLE PRECISION NOT NULL,
  min_value DOUBLE PRECISION NOT NULL,
  max_value DOUBLE PRECISION NOT NULL
);

-- One row per UTC day, model and request type (NULL where the record has none).
CREATE TABLE IF NOT EXISTS daily_request_type_metrics (
  day                   DATE NOT NULL,
  model                 TEXT NOT NULL,
  request_type          TEXT,
  calls                 BIGINT NOT NULL,
  calls_with_max_tokens BIGINT NOT NULL,
  hit_max_tokens_calls  BIGINT NOT NULL,
  first_call_at         TIMESTAMP NOT NULL
);

-- Calls per UTC day and temperature as logged (NULL where not set).
CREATE TABLE IF NOT EXISTS daily_temperature_calls (
  day         DATE NOT NULL,
  temperature DOUBLE PRECISION,
  calls       BIGINT NOT NULL
);

-- Calls per UTC day and non-empty flags list.
CREATE TABLE IF NOT EXISTS daily_flag_set_calls (
  day   DATE NOT NULL,
  flags TEXT NOT NULL,
  calls BIGINT NOT NULL
);

-- Calls per UTC day and tenth of max_tokens used (0-9), or reaching the limit (10).
CREATE TABLE IF NOT EXISTS daily_max_tokens_use_calls (
  day   DATE NOT NULL,
  tenth BIGINT NOT NULL,
  calls BIGINT NOT NULL
);

-- Calls per UTC day whose cost a price table computed, per table: which tables priced a range of days.
CREATE TABLE IF NOT EXISTS daily_price_table_calls (
  day                DATE NOT NULL,
  price_table_sha256 TEXT NOT NULL,
  priced_calls       BIGINT NOT NULL
);

-- Days whose report marts are stale. The report marts are built by the next report, not by ingest (which
-- builds the marts every command reads): clear_dirty_days.sql hands each day it rebuilt on to this table,
-- and MartRefresher.RefreshReportDays builds and empties it.
CREATE TABLE IF NOT EXISTS report_dirty_days (
  day DATE PRIMARY KEY
);

-- A warehouse built before these marts has none of their rows: build every day on the next refresh (which
-- hands the days on to report_dirty_days in turn).
INSERT INTO dirty_days (day)
SELECT DISTINCT c.day FROM calls AS c
WHERE NOT EXISTS (SELECT 1 FROM dirty_days AS d WHERE d.day = c.day);
