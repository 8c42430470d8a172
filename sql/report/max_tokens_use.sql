-- Completion tokens as a share of max_tokens, for calls that set a limit and report completion tokens:
-- ten bins of 10 % below the limit (0-9) and bin 10 for calls that reached it. Their median comes from distributions.sql.
WITH selected AS (
  SELECT CAST(c.completion_tokens AS DOUBLE PRECISION) / c.max_tokens AS use
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
    AND c.max_tokens > 0
    AND c.completion_tokens IS NOT NULL
)
SELECT
  CASE WHEN use >= 1 THEN 10 ELSE least(9, CAST(trunc(use * 10) AS INTEGER)) END AS bin,
  count(*) AS calls
FROM selected
GROUP BY 1
