-- Between the slice's costs (sql/staging) and its marts (sql/marts): nothing to do on DuckDB, whose
-- planner reads the row counts as they are. See prepare_marts.postgres.sql.
SELECT 1;
