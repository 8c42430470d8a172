-- 'llmlog transform --full': every day with data, and every day a mart still has, is rebuilt.
INSERT INTO dirty_days (day)
SELECT DISTINCT d.day
FROM (
  SELECT day FROM calls
  UNION
  SELECT created_day AS day FROM rejects WHERE created_day IS NOT NULL
  UNION
  SELECT CAST(i.started_at AS DATE) AS day
  FROM rejects AS r
  JOIN ingest_runs AS i ON i.run_id = r.run_id
  WHERE r.created_day IS NULL
  UNION
  SELECT day FROM daily_llm_metrics
  UNION
  SELECT day FROM data_quality_daily
) AS d
WHERE NOT EXISTS (SELECT 1 FROM dirty_days AS x WHERE x.day = d.day);
