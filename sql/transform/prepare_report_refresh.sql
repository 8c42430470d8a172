-- DuckDB plans from the rows as they are; nothing to prepare (PostgreSQL: prepare_report_refresh.postgres.sql).
SELECT 1;
