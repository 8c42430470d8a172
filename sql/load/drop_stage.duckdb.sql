-- No staging tables on DuckDB (see create_stage.duckdb.sql).
SELECT 1;
