-- PostgreSQL: call_costs loses its key for a BRIN index on day, as DuckDB never had one (V003). The
-- refresh writes a slice of days' costs at a time and never updates them; only --reprice empties the
-- table (TRUNCATE) to write them again. So the heap is laid out in day order, a BRIN range index finds a
-- day's pages for a few kilobytes, and writing 163k costs takes 0.36 s instead of 0.80 s with the
-- (day, record_id) key (psql \timing, 1M-call warehouse). One cost per call is kept by the staging
-- model's anti-join on record_id under the writer lock, and checked by the tests on both engines.
ALTER TABLE call_costs DROP CONSTRAINT IF EXISTS call_costs_pkey;
CREATE INDEX IF NOT EXISTS call_costs_day_brin ON call_costs USING brin (day);
