-- One reject's call id (create_reject_call_ids.sql).
INSERT INTO reject_call_ids (record_id, call_id) VALUES (@record_id, @call_id);
