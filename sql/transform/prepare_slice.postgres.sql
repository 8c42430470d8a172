-- Before each slice of days is built (see prepare_slice.sql), for this transaction only: room to sort a
-- slice's latencies for the exact percentiles in memory instead of in temporary files, and statistics
-- that know what the load and the previous slice just wrote — with a stale call_costs PostgreSQL
-- takes every call for already priced and joins the prices by a nested loop.
SET LOCAL work_mem = '128MB';
ANALYZE dirty_days;
ANALYZE call_costs;
