-- The call ids OlderRejectCallIds computes for rejects kept before V016 (migration V020), gathered here and set by one
-- UPDATE (set_reject_call_ids.sql): on DuckDB, where rejects have no key, an UPDATE per reject scanned them all each
-- time (13 s for 10,000 rejects). Dropped again in the same transaction (drop_reject_call_ids.sql).
CREATE TEMPORARY TABLE reject_call_ids (
  record_id TEXT NOT NULL,
  call_id   TEXT NOT NULL
);
