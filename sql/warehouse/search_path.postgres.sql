-- The schemas search_path names (as written), those of them that exist (in order, "$user" resolved), and the one a
-- CREATE TABLE without a schema goes into (NULL when none exists). Asked before a new warehouse is created, so that a
-- schema that does not exist is named rather than the warehouse put into the next one (public).
-- PostgreSQL leaves a schema the role may not use (no USAGE) out of both, as if it did not exist: Unusable names the
-- schemas of the database the role lacks USAGE on, so that one is told which GRANT it needs instead.
SELECT current_setting('search_path') AS SearchPath,
       current_schemas(false)::text[] AS Existing,
       current_schema()::text         AS Current,
       ARRAY(SELECT nspname::text FROM pg_catalog.pg_namespace WHERE NOT has_schema_privilege(oid, 'USAGE')) AS Unusable;
