-- The schemas search_path names (as written), those of them that exist (in order, "$user" resolved), and the one a
-- CREATE TABLE without a schema goes into (NULL when none exists). Asked before a new warehouse is created, so that a
-- schema that does not exist is named rather than the warehouse put into the next one (public).
SELECT current_setting('search_path') AS SearchPath,
       current_schemas(false)::text[] AS Existing,
       current_schema()::text         AS Current;
