-- The days this run touched, for the transform to rebuild. A reject whose 'created' did not parse
-- counts on the day the run started (see data_quality_daily), so that day is touched too.
INSERT INTO dirty_days (day)
SELECT DISTINCT d.day
FROM (
  SELECT day FROM calls WHERE run_id = @run_id
  UNION
  SELECT created_day AS day FROM rejects WHERE run_id = @run_id AND created_day IS NOT NULL
  UNION
  SELECT CAST(i.started_at AS DATE) AS day
  FROM ingest_runs AS i
  WHERE i.run_id = @run_id
    AND EXISTS (SELECT 1 FROM rejects AS r WHERE r.run_id = @run_id AND r.created_day IS NULL)
) AS d
WHERE NOT EXISTS (SELECT 1 FROM dirty_days AS x WHERE x.day = d.day);
