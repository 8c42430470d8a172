-- DuckDB: deliberately no key or index on call_costs, for the reason given in V010__keys_and_indexes:
-- an ART index lives wholly in memory and grows with the table (one row per call). One cost per call
-- is kept by the staging model's anti-join on record_id under the single-writer lock, and checked by
-- the tests; scans by day use DuckDB's zone maps.
SELECT 1;
