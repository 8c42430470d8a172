-- One day this run touched, when the load knows its days without reading them back (a file copied
-- straight into calls: every row sent landed). An earlier file of the same command may have marked it.
INSERT INTO dirty_days (day)
SELECT CAST(@day AS DATE)
WHERE NOT EXISTS (SELECT 1 FROM dirty_days AS x WHERE x.day = CAST(@day AS DATE));
