-- PostgreSQL's settle (DuckDB's is settle_rejects.duckdb.sql). Every look-up of rejects below goes through its key:
-- once rejects had been analysed (or vacuumed) while empty, PostgreSQL took it for one row and checked each staged row
-- against a sequential scan of it, which grew with every row the statement inserted: 100,000 records from standard
-- input into a warehouse that held one reject took 251 s against 5 s (found by probing PostgreSQL as DBAs run it).
-- Without a sequential scan of rejects to choose, the key is used, whatever the statistics say.
SET LOCAL enable_seqscan = off;
-- A rejected record is kept once per text and per occurrence in its input: the k-th copy of the same
-- bytes within this file (k >= 2) gets the id '<id>-k', so every bad record of a file keeps its row and
-- place, while a re-read (or an overlapping export) finds each of them already kept and the run counts
-- them as duplicates.
INSERT INTO rejects (record_id, run_id, source_file, record_number, line_number, byte_offset, field, reason, created_day, raw, call_id, created_at)
SELECT s.record_id, s.run_id, s.source_file, s.record_number, s.line_number, s.byte_offset, s.field, s.reason, s.created_day, s.raw, s.call_id, s.created_at
FROM (
  SELECT CASE WHEN copy = 1 THEN record_id ELSE record_id || '-' || CAST(copy AS TEXT) END AS record_id,
    run_id, source_file, record_number, line_number, byte_offset, field, reason, created_day, raw, call_id, created_at
  FROM (
    SELECT st.*, row_number() OVER (PARTITION BY st.record_id ORDER BY st.record_number) AS copy
    FROM stage_rejects AS st
  ) AS numbered
) AS s
WHERE NOT EXISTS (SELECT 1 FROM rejects AS r WHERE r.record_id = s.record_id);
SET LOCAL enable_seqscan TO DEFAULT;
