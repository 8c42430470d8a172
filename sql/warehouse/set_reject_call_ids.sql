-- The call ids gathered in reject_call_ids onto the rejects kept before V016 (migration V020).
UPDATE rejects SET call_id = t.call_id
FROM reject_call_ids AS t
WHERE t.record_id = rejects.record_id;
