-- DuckDB keeps no key on call_costs (see V003__call_cost_keys.duckdb.sql); PostgreSQL's key changes.
SELECT 1;
