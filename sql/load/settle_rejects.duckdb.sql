-- As settle_calls.duckdb.sql: a reject seen before (same text) is kept once.
WITH candidates AS MATERIALIZED (
  SELECT record_id FROM rejects WHERE run_id = @run_id GROUP BY record_id HAVING count(*) > 1
  UNION
  SELECT record_id FROM rejects
  WHERE run_id <> @run_id AND record_id IN (SELECT record_id FROM rejects WHERE run_id = @run_id)
)
DELETE FROM rejects AS s
WHERE s.run_id = @run_id
  AND s.record_id IN (SELECT record_id FROM candidates)
  AND EXISTS (
    SELECT 1 FROM rejects AS r
    WHERE r.record_id = s.record_id
      AND (r.run_id <> @run_id OR r.record_number < s.record_number)
  );
