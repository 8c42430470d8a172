-- Whether this database has llmlog's ledger of migrations yet. Asked before anything is created, so that a user
-- who may only read (a PostgreSQL role with SELECT, a read-only DuckDB file) opens a current warehouse unchanged.
SELECT count(*)
FROM information_schema.tables
WHERE table_name = 'schema_migrations'
  AND table_schema = current_schema();
