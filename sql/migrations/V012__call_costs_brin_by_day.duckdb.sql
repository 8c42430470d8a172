-- DuckDB keeps no key or index on call_costs (see V003__call_cost_keys.duckdb.sql); PostgreSQL's key
-- becomes a BRIN index on day.
SELECT 1;
