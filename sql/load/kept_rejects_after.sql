-- The rejects this run keeps after the last record its held warnings name (kept_rejects_among_first.sql), in record
-- order, for the log to name in their place: an appended file read again spent the named twenty on records kept by an
-- earlier run, and its new rejects went unnamed (found by probing re-runs). @before_record leaves out the cut-off rest
-- of an input that ends mid-record, which the run's message names. A handful of rows, however many a run holds.
SELECT record_number, line_number, byte_offset, reason
FROM rejects
WHERE run_id = @run_id
  AND record_number > @after_record
  AND record_number < @before_record
ORDER BY record_number
LIMIT @count;
