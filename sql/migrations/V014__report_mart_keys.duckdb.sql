-- DuckDB: no keys or indexes on the report marts (see V010__keys_and_indexes.duckdb.sql): an ART index is
-- held in memory and checked row by row, and the histograms have millions of rows at 10M calls. Each model
-- writes one row per GROUP BY key, and the tests check the marts against a full rebuild on both engines.
SELECT 1;
