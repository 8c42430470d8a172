-- DuckDB plans the slice's range of days from its row groups' bounds; nothing to prepare
-- (PostgreSQL: prepare_refresh.postgres.sql).
SELECT 1;
