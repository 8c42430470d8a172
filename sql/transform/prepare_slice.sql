-- Before each slice of days is built: nothing to do on DuckDB, whose planner reads the row counts as
-- they are. See prepare_slice.postgres.sql.
SELECT 1;
