-- A page of rejects' call ids (create_reject_call_ids.sql), as two lists of the same length, in one statement: one
-- INSERT per reject took 4 s for 10,000 on DuckDB.
INSERT INTO reject_call_ids (record_id, call_id)
SELECT unnest(@record_ids), unnest(@call_ids);
