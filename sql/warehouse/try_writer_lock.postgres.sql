-- Session-level: held until the connection closes, so a killed run never leaves it behind.
-- One writer per warehouse, and a warehouse is a schema: the lock is the schema's own (@schema_key with the schema's
-- oid), so that warehouses in two schemas of one database do not wait for each other (advisory locks are database-wide).
-- The database-wide @key is taken shared beside it: earlier llmlogs took @key alone and exclusively, whatever the
-- schema, and one of them must still exclude, and be excluded by, this one. CASE runs its branches in order: a schema lock not granted gives the shared
-- one back at once.
SELECT CASE
  WHEN NOT pg_try_advisory_lock_shared(@key) THEN false
  WHEN pg_try_advisory_lock(@schema_key, coalesce((SELECT oid FROM pg_namespace WHERE nspname = current_schema())::int, 0)) THEN true
  ELSE NOT pg_advisory_unlock_shared(@key)
END;
