-- A rejected record is kept once per text and per occurrence in its input. The k-th copy of the same
-- bytes within this run (k >= 2) is renamed '<id>-k', so every bad record of a file keeps its row and
-- place; then the rows another run already holds (a re-read, an overlapping export) are deleted, and
-- the run counts them as duplicates. Each step is one statement over a small temporary table, as in
-- settle_calls.duckdb.sql.
DROP TABLE IF EXISTS settle_reject_copies;
CREATE TEMP TABLE settle_reject_copies AS
SELECT row_id, record_id || '-' || CAST(copy AS VARCHAR) AS copy_id FROM (
  SELECT r.rowid AS row_id, r.record_id,
    row_number() OVER (PARTITION BY r.record_id ORDER BY r.record_number) AS copy
  FROM rejects AS r
  WHERE r.run_id = @run_id
    AND r.record_id IN (SELECT record_id FROM rejects WHERE run_id = @run_id GROUP BY record_id HAVING count(*) > 1)
) AS numbered
WHERE copy > 1;
UPDATE rejects SET record_id = c.copy_id FROM settle_reject_copies AS c WHERE rejects.rowid = c.row_id;
DELETE FROM rejects
WHERE run_id = @run_id
  AND record_id IN (SELECT record_id FROM rejects WHERE run_id <> @run_id);
DROP TABLE settle_reject_copies;
