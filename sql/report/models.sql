-- Per-model counts and token sums of the selection; percentiles and means come from distributions.sql, and the
-- charts' "other" is pooled from both in the report. For UTC days of all models the report reads models_utc.sql.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  model,
  count(*) AS calls,
  count(*) FILTER (WHERE stream) AS streamed_calls,
  count(*) FILTER (WHERE NOT flag_missing_usage) AS calls_with_usage,
  CAST(coalesce(sum(prompt_tokens), 0) AS BIGINT) AS prompt_tokens,
  CAST(coalesce(sum(completion_tokens), 0) AS BIGINT) AS completion_tokens,
  CAST(coalesce(sum(total_tokens), 0) AS BIGINT) AS total_tokens,
  count(*) FILTER (WHERE max_tokens > 0) AS calls_with_max_tokens,
  count(*) FILTER (WHERE hit_max_tokens) AS hit_max_tokens_calls,
  count(*) FILTER (WHERE max_tokens > 0 AND completion_tokens IS NOT NULL) AS calls_with_max_tokens_use
FROM selected
GROUP BY model
