-- The spread of latencies, from which the report lays out its log-scale histogram bins.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  count(latency_s) AS calls,
  count(*) FILTER (WHERE latency_s > 0) AS positive_calls,
  min(latency_s) AS min_s,
  max(latency_s) AS max_s,
  min(latency_s) FILTER (WHERE latency_s > 0) AS min_positive_s,
  max(latency_s) FILTER (WHERE latency_s > 0) AS max_positive_s
FROM selected
