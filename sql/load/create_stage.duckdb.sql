-- DuckDB needs no staging tables: the Appender writes straight into calls and rejects inside the
-- file's transaction (large appends go to the database file as they grow, not to memory), and
-- settle_*.duckdb.sql then removes what this run appended twice. Copying every row, raw text
-- included, through a staging table would double the work and hold it in memory.
SELECT 1;
