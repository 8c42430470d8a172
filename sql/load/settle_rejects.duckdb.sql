-- As settle_calls.duckdb.sql: a reject seen before (same text) is kept once.
DELETE FROM rejects AS s
WHERE s.run_id = @run_id
  AND (
    EXISTS (SELECT 1 FROM rejects AS r WHERE r.record_id = s.record_id AND r.run_id <> @run_id)
    OR EXISTS (SELECT 1 FROM rejects AS d WHERE d.run_id = @run_id AND d.record_id = s.record_id AND d.record_number < s.record_number)
  );
