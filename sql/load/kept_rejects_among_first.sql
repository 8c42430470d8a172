-- The record numbers of the rejects this run keeps, up to the last one the log names: a bad record already kept by an
-- earlier run (a forced re-read, an overlapping export) or the bad copy of a loaded call is a duplicate, and its
-- warning must not say it is kept in the rejects table. The log names the first few rejects only, so this reads a
-- handful of rows however many a run holds.
SELECT record_number
FROM rejects
WHERE run_id = @run_id
  AND record_number <= @last_record;
