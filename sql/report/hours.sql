-- Calls and tokens per local hour (in @zone, DST-correct: each instant is converted), for the usage-over-time
-- chart and the day × hour heatmap. At most 24 rows a day, however many calls.
WITH selected AS (
  SELECT
    c.*,
    -- In UTC the local hour is the stored instant's: no zone conversion of every row.
    CASE WHEN @utc THEN date_trunc('hour', c.created_at) ELSE date_trunc('hour', (c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone) END AS local_hour
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  local_hour AS hour_start,
  count(*) AS calls,
  CAST(coalesce(sum(total_tokens), 0) AS BIGINT) AS tokens
FROM selected
GROUP BY local_hour
ORDER BY local_hour
