-- PostgreSQL only: the first statement of each report session's repeatable-read transaction, which fixes the
-- snapshot every query of the report reads (Report/ReportQueries.InOneSnapshot). The report writes nothing here.
SET TRANSACTION READ ONLY;
SELECT 1;
