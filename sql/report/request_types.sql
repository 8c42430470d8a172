-- Calls per request type (NULL where the record has none), with how many hit their max_tokens limit, out of how many
-- set one and report their completion tokens (only those can be seen to hit it).
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  request_type,
  count(*) AS calls,
  count(*) FILTER (WHERE hit_max_tokens) AS hit_max_tokens_calls,
  count(*) FILTER (WHERE max_tokens > 0 AND completion_tokens IS NOT NULL) AS calls_with_max_tokens_use,
  -- Types tied on hits are listed in the order they first occur.
  min(created_at) AS first_call
FROM selected
GROUP BY request_type
