-- Before the report marts' slices: statistics on report_dirty_days, so that the models' "day IN (SELECT day
-- FROM report_dirty_days)" is planned for the rows it holds (see prepare_refresh.postgres.sql). calls.day has
-- its statistics from the refresh that handed the days on.
ANALYZE report_dirty_days;
