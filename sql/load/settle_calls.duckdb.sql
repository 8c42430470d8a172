-- The run's calls were appended straight into calls; remove those already loaded by another run
-- and all but the first occurrence within this run. Only the narrow key columns are read.
-- Duplicates are rare, so the candidates come first: the ids of this run that another run holds, and
-- those that occur twice in this run. Only the candidates' rows are then ranked (another run's copy
-- first, then this run's in file order), and every copy of this run after the first goes.
-- One large operation per statement, each of which DuckDB can spill to disk: in one statement, a
-- forced re-read of a 10M-call file that is all duplicates ran out of a 256MB limit
-- (docs/performance-history.md).
DROP TABLE IF EXISTS settle_call_ids;
DROP TABLE IF EXISTS settle_call_rows;
CREATE TEMP TABLE settle_call_ids AS
SELECT record_id FROM calls
WHERE run_id <> @run_id AND record_id IN (SELECT record_id FROM calls WHERE run_id = @run_id);
INSERT INTO settle_call_ids
SELECT record_id FROM calls WHERE run_id = @run_id GROUP BY record_id HAVING count(*) > 1;
CREATE TEMP TABLE settle_call_rows AS
SELECT row_id FROM (
  SELECT c.rowid AS row_id, c.run_id,
    row_number() OVER (PARTITION BY c.record_id ORDER BY c.run_id = @run_id, c.record_number) AS copy
  FROM calls AS c
  WHERE c.record_id IN (SELECT record_id FROM settle_call_ids)
) AS ranked
WHERE run_id = @run_id AND copy > 1;
DELETE FROM calls WHERE rowid IN (SELECT row_id FROM settle_call_rows);
DROP TABLE settle_call_ids;
DROP TABLE settle_call_rows;
