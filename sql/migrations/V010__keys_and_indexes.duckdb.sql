-- DuckDB: deliberately no primary key or index on calls or rejects. DuckDB keeps ART indexes wholly
-- in memory and checks them row by row on insert, so a key on record_id would make memory grow with
-- the table (gigabytes at 10M calls) and slow every bulk load. Uniqueness is kept by the load itself:
-- one writer at a time (the file lock) and a delete of the duplicates each load appended (sql/load/settle_*.duckdb.sql),
-- and is checked by the tests. Scans of calls by day use DuckDB's zone maps instead of an index.
SELECT 1;
