-- The median share of max_tokens used, over the same calls as max_tokens_use.sql.
WITH selected AS (
  SELECT CAST(c.completion_tokens AS DOUBLE PRECISION) / c.max_tokens AS use
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
    AND c.max_tokens > 0
    AND c.completion_tokens IS NOT NULL
)
SELECT CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY use) AS DOUBLE PRECISION) AS median
FROM selected
