-- The last reject of a run that this run completed (mark_run_completed.sql): the record the end of its input cut
-- off, or the rest of the input it could not read. That was the end of the bytes it read, not a bad record, and this
-- run has read the record whole: like a corrected record (mark_rejects_loaded.sql) the reject stays, marked with
-- this run, and counts no more. A compressed input cut mid-record also left the part of that record it could
-- decompress as a reject just before: the one that ends on the byte where the unreadable rest begins. The earlier
-- run's other rejects were whole records that this run read again, the same bytes, and judged the same: they
-- still count.
UPDATE rejects SET loaded_by_run = @run_id
WHERE run_id = @earlier_run_id
  AND loaded_by_run IS NULL
  AND (
    record_number = (SELECT max(record_number) FROM rejects WHERE run_id = @earlier_run_id)
    OR (record_number = (SELECT max(record_number) - 1 FROM rejects WHERE run_id = @earlier_run_id)
      AND byte_offset + octet_length(raw) = (SELECT byte_offset FROM rejects WHERE run_id = @earlier_run_id
        AND record_number = (SELECT max(record_number) FROM rejects WHERE run_id = @earlier_run_id)))
  );
