-- Whether this database has llmlog's ledger of migrations yet (see schema_migrations_exists.sql). Read from the
-- catalog, which every role may read: information_schema shows only the tables a role has a privilege on, so a
-- reader without SELECT on the ledger was told the schema held no warehouse, and its ingest to create one.
SELECT count(*)
FROM pg_catalog.pg_attribute AS a
JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relname = 'schema_migrations'
  AND c.relkind IN ('r', 'p')
  AND n.nspname = current_schema()
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND a.attname IN ('version', 'name', 'checksum', 'applied_at');
