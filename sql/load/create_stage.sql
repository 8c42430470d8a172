-- Per-file staging tables with the exact shape of their targets; bulk-loaded, then set-inserted.
DROP TABLE IF EXISTS stage_calls;
DROP TABLE IF EXISTS stage_rejects;
CREATE TEMP TABLE stage_calls AS SELECT * FROM calls LIMIT 0;
CREATE TEMP TABLE stage_rejects AS SELECT * FROM rejects LIMIT 0;
