-- The instants RejectCreatedInstants reads from older rejects' raw text (migration V021), gathered here and set by
-- one UPDATE (set_reject_created_ats.sql), as create_reject_call_ids.sql does for V020. Dropped again in the same
-- transaction (drop_reject_created_ats.sql).
CREATE TEMPORARY TABLE reject_created_ats (
  record_id  TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);
