-- Whether this database has llmlog's ledger of migrations yet. Asked before anything is created, so that a user
-- who may only read (a PostgreSQL role with SELECT, a read-only DuckDB file) opens a current warehouse unchanged.
-- Only a table with the ledger's own columns is llmlog's: another application's schema_migrations (Rails keeps
-- one in public, with a text version) is not, and a new warehouse is refused beside it.
SELECT count(*)
FROM information_schema.columns
WHERE table_name = 'schema_migrations'
  AND table_schema = current_schema()
  AND column_name IN ('version', 'name', 'checksum', 'applied_at');
