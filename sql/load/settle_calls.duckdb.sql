-- The run's calls were appended straight into calls; remove those already loaded by another run
-- and all but the first occurrence within this run. Only the narrow key columns are read.
-- Duplicates are rare, so the candidates come first: the run's ids seen twice in the run or loaded by
-- another run (one grouping of the run's ids and one semi-join, both spill to disk), and only their
-- rows are compared one by one. Comparing every row of the run with the table took 11.8 s of a
-- 10M-call ingest, this 3.4 s (docs/performance-history.md).
WITH candidates AS MATERIALIZED (
  SELECT record_id FROM calls WHERE run_id = @run_id GROUP BY record_id HAVING count(*) > 1
  UNION
  SELECT record_id FROM calls
  WHERE run_id <> @run_id AND record_id IN (SELECT record_id FROM calls WHERE run_id = @run_id)
)
DELETE FROM calls AS s
WHERE s.run_id = @run_id
  AND s.record_id IN (SELECT record_id FROM candidates)
  AND EXISTS (
    SELECT 1 FROM calls AS c
    WHERE c.record_id = s.record_id
      AND (c.run_id <> @run_id OR c.record_number < s.record_number)
  );
