-- Calls per distinct flags value (a list of flag names); the report splits the few distinct lists into names,
-- which keeps the splitting rule in one place for both engines.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT flags, count(*) AS calls
FROM selected
WHERE flags <> ''
GROUP BY flags
