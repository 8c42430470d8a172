-- Cost per local day (in @zone) and model, summed from each call's cost in call_costs, with how many calls
-- have a computed cost or none for want of a price. A group none of whose calls has a cost has a NULL sum
-- (shown as n/a, never $0). For UTC days of all models the report reads cost_by_day_utc.sql instead.
WITH selected AS (
  SELECT
    c.*,
    -- In UTC the local day is the stored day: converting 10M instants through the zone rules costs seconds.
    CASE WHEN @utc THEN c.day ELSE CAST((c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS DATE) END AS local_day
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
),
costs AS (
  SELECT k.record_id, k.cost_usd, k.cost_source
  FROM call_costs AS k
  WHERE k.day >= CAST(@from_utc AS DATE) AND k.day <= CAST(@to_utc AS DATE)
)
SELECT
  c.local_day AS day,
  c.model,
  CAST(sum(k.cost_usd) AS DOUBLE PRECISION) AS cost_usd,
  count(*) FILTER (WHERE k.cost_source = 'computed') AS computed_calls,
  count(*) FILTER (WHERE k.cost_source = 'unpriced') AS unpriced_calls
FROM selected AS c
LEFT JOIN costs AS k ON k.record_id = c.record_id
GROUP BY c.local_day, c.model
