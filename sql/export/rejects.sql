-- Export of rejected records, with their original text. A reject whose `created` could not be read has
-- no day; it is in the export only when no --from/--to narrows it (@all_days). The others are selected by the
-- instant of their `created`, in local days of --timezone as calls are. A reject whose record a later run loaded
-- as a call is still here, with that run in loaded_by_run.
SELECT record_id, run_id, source_file, record_number, line_number, byte_offset, field, reason, created_day, raw, call_id, loaded_by_run, created_at
FROM rejects
WHERE @all_days
   OR (created_at >= @from_utc AND created_at < @to_utc)
ORDER BY run_id, record_number;
