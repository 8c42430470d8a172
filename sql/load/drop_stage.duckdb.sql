-- No staging tables on DuckDB (see create_stage.duckdb.sql); only what the settle step left to be read.
DROP TABLE IF EXISTS settle_differing;
