-- PostgreSQL only: the first statement of a reader's repeatable-read transaction, which fixes the snapshot all its
-- queries read (WarehouseConnection.BeginReadSnapshot: the report's sessions, the summary). It writes nothing.
SET TRANSACTION READ ONLY;
SELECT 1;
