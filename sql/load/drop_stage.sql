DROP TABLE IF EXISTS stage_calls;
DROP TABLE IF EXISTS stage_rejects;
DROP TABLE IF EXISTS settle_differing;
