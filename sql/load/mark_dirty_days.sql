-- The days this run touched, for the transform to rebuild.
INSERT INTO dirty_days (day)
SELECT DISTINCT d.day
FROM (
  SELECT day FROM calls WHERE run_id = @run_id
  UNION
  SELECT created_day AS day FROM rejects WHERE run_id = @run_id AND created_day IS NOT NULL
) AS d
WHERE NOT EXISTS (SELECT 1 FROM dirty_days AS x WHERE x.day = d.day);
