-- A page of rejects' instants (create_reject_created_ats.sql), as two lists of the same length, in one statement.
INSERT INTO reject_created_ats (record_id, created_at)
SELECT unnest(@record_ids), unnest(@created_ats);
