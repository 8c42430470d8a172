-- The id a reject kept before V016 would have as a call (OlderRejectCallIds, migration V020).
UPDATE rejects SET call_id = @call_id WHERE record_id = @record_id;
