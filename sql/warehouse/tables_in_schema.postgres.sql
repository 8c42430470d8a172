-- The tables (and views) in the schema a new warehouse would be created in (see tables_in_schema.sql). Read from the
-- catalog: information_schema hides the tables a role has no privilege on, and those are in the way all the same.
SELECT c.relname::text AS table_name
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema()
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY c.relname;
