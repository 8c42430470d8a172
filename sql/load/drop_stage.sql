DROP TABLE IF EXISTS stage_calls;
DROP TABLE IF EXISTS stage_rejects;
