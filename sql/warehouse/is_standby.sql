-- An embedded DuckDB file has no standby.
SELECT false;
