-- The run's calls were appended straight into calls; remove those already loaded by another run
-- and all but the first occurrence within this run. Only the narrow key columns are joined.
DELETE FROM calls AS s
WHERE s.run_id = @run_id
  AND (
    EXISTS (SELECT 1 FROM calls AS c WHERE c.record_id = s.record_id AND c.run_id <> @run_id)
    OR EXISTS (SELECT 1 FROM calls AS d WHERE d.run_id = @run_id AND d.record_id = s.record_id AND d.record_number < s.record_number)
  );
