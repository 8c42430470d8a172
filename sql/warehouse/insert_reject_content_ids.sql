-- A page of rejects' canonical hashes (create_reject_content_ids.sql), as two lists of the same length, in one statement.
INSERT INTO reject_content_ids (record_id, content_id)
SELECT unnest(@record_ids), unnest(@content_ids);
