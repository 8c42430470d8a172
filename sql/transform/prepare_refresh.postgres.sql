-- Once per refresh, before its slices: statistics on calls.day and dirty_days that count the rows just
-- loaded. A bulk load leaves calls without them until autovacuum comes by, and the models read a slice
-- by a range of days (@first_day..@last_day): without statistics PostgreSQL guesses a few dozen calls a
-- day and picks plans for a few dozen rows. A small sample (3,000 rows) is enough to count rows per day
-- and takes a few tens of milliseconds at any size.
SET LOCAL default_statistics_target = 10;
ANALYZE calls (day);
RESET default_statistics_target;
ANALYZE dirty_days;
