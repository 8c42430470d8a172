-- What the report shows per local day (in @zone) beside the daily_llm_metrics contract: streamed TTFT p95
-- and the token sum and count behind the average tokens per call of calls that report usage.
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
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY CASE WHEN stream THEN ttft_s END) AS DOUBLE PRECISION) AS p95_ttft_streamed_s,
  -- Sum and count rather than avg: integer sums are exact, so the C# mean matches to the last digit.
  CAST(sum(total_tokens) FILTER (WHERE NOT flag_missing_usage) AS BIGINT) AS usage_tokens,
  count(total_tokens) FILTER (WHERE NOT flag_missing_usage) AS usage_calls
FROM selected
GROUP BY local_day
