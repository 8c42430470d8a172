-- The canonical hashes RejectContentIds computes for rejects kept before V024 (migration V024), gathered here and set
-- by set_reject_content_ids.sql. Dropped again in the same transaction (drop_reject_content_ids.sql).
CREATE TEMPORARY TABLE reject_content_ids (
  record_id  TEXT NOT NULL,
  content_id TEXT NOT NULL
);
