-- The last reject of a run that this run completed (mark_run_completed.sql): the record the end of its input cut
-- off, or the rest of the input it could not read. That was the end of the bytes it read, not a bad record, and this
-- run has read the record whole: like a corrected record (mark_rejects_loaded.sql) the reject stays, marked with
-- this run, and counts no more.
-- A compressed input cut mid-record also left, just before that, a reject for the part of the record it could
-- decompress. This run read the whole record at the same place and kept it, as a call or as a reject of its own,
-- because its text is not the part's; so the part counts no more either. A whole bad record before the cut is read
-- again as the same text, which this run counts as a duplicate and keeps nothing of: that reject still counts, as
-- do the earlier run's other rejects, whole records this run read again and judged the same.
UPDATE rejects SET loaded_by_run = @run_id
WHERE run_id = @earlier_run_id
  AND loaded_by_run IS NULL
  AND (
    record_number = (SELECT max(record_number) FROM rejects WHERE run_id = @earlier_run_id)
    OR (
      record_number = (SELECT max(record_number) - 1 FROM rejects WHERE run_id = @earlier_run_id)
      AND (
        EXISTS (SELECT 1 FROM calls AS c WHERE c.run_id = @run_id AND c.record_number = rejects.record_number)
        OR EXISTS (SELECT 1 FROM rejects AS r WHERE r.run_id = @run_id AND r.record_number = rejects.record_number)
      )
    )
  );
