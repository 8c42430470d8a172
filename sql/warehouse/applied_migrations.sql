-- The versions of sql/migrations already applied to this database.
SELECT version FROM schema_migrations;
