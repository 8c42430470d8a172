-- Records rejected in the period per local day (in @zone) of their created instant, for the findings to say where
-- rejects gather and which days without a call had records, all rejected. A record without a readable created time
-- belongs to no day; one loaded corrected since no longer counts (rejected_count.sql).
WITH dated AS (
  SELECT CASE WHEN @utc THEN created_day ELSE CAST((created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS DATE) END AS local_day
  FROM rejects
  WHERE loaded_by_run IS NULL
    AND created_day IS NOT NULL
    AND created_at >= @from_utc
    AND created_at < @to_utc
)
SELECT local_day AS day, count(*) AS rejected
FROM dated
GROUP BY local_day
