-- Calls per temperature as logged (NULL where not set). The report rounds to two decimals itself, so the
-- rounding rule is the same on both engines; a log holds a handful of distinct settings.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT temperature, count(*) AS calls
FROM selected
GROUP BY temperature
