-- Rejects whose record this run loaded as a call: a record with an id of its own, rejected by an earlier run (or
-- earlier in this file) and now read corrected. The reject row stays, so nothing read is lost and every run's
-- counts still add up, and names the run that loaded the record; counts of rejected records leave it out
-- (mark_days_of_rejects_loaded.sql has the days they counted on rebuilt). The candidates are the rejects not yet
-- loaded, checked against this run's calls.
UPDATE rejects SET loaded_by_run = @run_id
WHERE loaded_by_run IS NULL
  AND call_id IS NOT NULL
  AND call_id IN (SELECT record_id FROM calls WHERE run_id = @run_id);
