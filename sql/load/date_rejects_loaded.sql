-- Rejects this run loaded as calls that carry no date of their own take the date of the call loaded in their place:
-- a record whose `created` could not be read, sent again corrected under its id, or the record the end of an
-- earlier run's input cut off (a run this run completed), read whole at the same place by this run. A report counts
-- a reject loaded later in the period of its date; undated, one cut record was "a record of this period loaded
-- later" in the report of every period (found by probing a month of daily runs). Run after
-- mark_days_of_rejects_loaded.sql: a loaded reject counts on no day's marts, so its new date marks no day.
UPDATE rejects SET created_at = c.created_at, created_day = c.day
FROM (SELECT record_id, record_number, created_at, day FROM calls WHERE run_id = @run_id) AS c
WHERE rejects.loaded_by_run = @run_id
  AND rejects.created_day IS NULL
  AND CASE
    WHEN rejects.call_id IS NOT NULL THEN c.record_id = rejects.call_id
    ELSE c.record_number = rejects.record_number
      AND rejects.run_id IN (SELECT run_id FROM ingest_runs WHERE completed_by_run = @run_id)
  END;
