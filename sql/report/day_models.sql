-- Calls per local day (in @zone) and model, for the stacked chart of the model mix over time, and each model's exact
-- p95 latency of the day, for the findings to name the model behind a day's change.
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
SELECT
  local_day AS day,
  model,
  count(*) AS calls,
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION) AS p95_latency_s
FROM selected
GROUP BY local_day, model
