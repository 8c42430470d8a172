-- Before each slice of days is built, for its transaction only: room to sort a slice's latencies for the
-- exact percentiles in memory instead of in temporary files. (dirty_days and calls.day got their
-- statistics once for the whole refresh, in prepare_refresh.postgres.sql.)
SET LOCAL work_mem = '128MB';
