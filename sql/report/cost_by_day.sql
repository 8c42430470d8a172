-- Cost per local day (in @zone) and model, summed from each call's cost in call_costs; calls without a
-- cost are left out, so a day or model none of whose calls has one has no row (shown as n/a, never $0).
WITH selected AS (
  SELECT c.*, CAST((c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS DATE) AS local_day
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
),
costs AS (
  SELECT k.record_id, k.cost_usd
  FROM call_costs AS k
  WHERE k.day >= CAST(@from_utc AS DATE) AND k.day <= CAST(@to_utc AS DATE)
    AND k.cost_usd IS NOT NULL
)
SELECT
  c.local_day AS day,
  c.model,
  CAST(sum(k.cost_usd) AS DOUBLE PRECISION) AS cost_usd
FROM selected AS c
JOIN costs AS k ON k.record_id = c.record_id
GROUP BY c.local_day, c.model
