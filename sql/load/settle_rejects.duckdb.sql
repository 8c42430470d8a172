-- As settle_calls.duckdb.sql: a reject seen before (same text) is kept once.
DROP TABLE IF EXISTS settle_reject_ids;
DROP TABLE IF EXISTS settle_reject_rows;
CREATE TEMP TABLE settle_reject_ids AS
SELECT record_id FROM rejects
WHERE run_id <> @run_id AND record_id IN (SELECT record_id FROM rejects WHERE run_id = @run_id);
INSERT INTO settle_reject_ids
SELECT record_id FROM rejects WHERE run_id = @run_id GROUP BY record_id HAVING count(*) > 1;
CREATE TEMP TABLE settle_reject_rows AS
SELECT row_id FROM (
  SELECT r.rowid AS row_id, r.run_id,
    row_number() OVER (PARTITION BY r.record_id ORDER BY r.run_id = @run_id, r.record_number) AS copy
  FROM rejects AS r
  WHERE r.record_id IN (SELECT record_id FROM settle_reject_ids)
) AS ranked
WHERE run_id = @run_id AND copy > 1;
DELETE FROM rejects WHERE rowid IN (SELECT row_id FROM settle_reject_rows);
DROP TABLE settle_reject_ids;
DROP TABLE settle_reject_rows;
