-- Calls per local day (in @zone) and request type (NULL where the record has none), for the stacked daily chart.
WITH selected AS (
  SELECT
    c.*,
    -- In UTC the local day is the stored day: converting 10M instants through the zone rules costs seconds.
    CASE WHEN @utc THEN c.day ELSE CAST((c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS DATE) END AS local_day
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT local_day AS day, request_type, count(*) AS calls
FROM selected
GROUP BY local_day, request_type
