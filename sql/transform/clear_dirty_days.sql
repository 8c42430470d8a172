-- The marts of the dirty days are built: the days are clean, and their report marts stale until the next
-- report builds them (sql/report_marts, MartRefresher.RefreshReportDays), so ingest never pays for them.
INSERT INTO report_dirty_days (day)
SELECT d.day FROM dirty_days AS d
WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days AS r WHERE r.day = d.day);
DELETE FROM dirty_days;
