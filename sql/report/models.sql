-- Per-model metrics of the selection. With @pool_rest only the calls of models other than the six @keep
-- names are read, pooled into one row with a NULL model (the charts' "other"): percentiles of pooled calls
-- cannot be made from per-model percentiles, so the pool is aggregated from its calls, but the kept models,
-- already known, are not aggregated again.
WITH selected AS (
  SELECT c.*, CASE WHEN @pool_rest THEN NULL ELSE c.model END AS model_group
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
    -- Unused @keep are '', which no model is (ingest rejects an empty name). A chain of <> rather than NOT IN:
    -- DuckDB applies it inside the scan, NOT IN row by row (half a second at 10M calls).
    AND c.model <> @keep1 AND c.model <> @keep2 AND c.model <> @keep3
    AND c.model <> @keep4 AND c.model <> @keep5 AND c.model <> @keep6
),
groups AS (
  SELECT
    model_group,
    count(*) AS calls,
    count(*) FILTER (WHERE stream) AS streamed_calls,
    count(*) FILTER (WHERE NOT flag_missing_usage) AS calls_with_usage,
    CAST(coalesce(sum(prompt_tokens), 0) AS BIGINT) AS prompt_tokens,
    CAST(coalesce(sum(completion_tokens), 0) AS BIGINT) AS completion_tokens,
    CAST(coalesce(sum(total_tokens), 0) AS BIGINT) AS total_tokens,
    -- Both latency percentiles from one sort of the latencies rather than two.
    percentile_cont(ARRAY[CAST(0.5 AS DOUBLE PRECISION), CAST(0.95 AS DOUBLE PRECISION)]) WITHIN GROUP (ORDER BY latency_s) AS latency_q,
    CAST(avg(CASE WHEN stream THEN ttft_s END) AS DOUBLE PRECISION) AS avg_ttft_streamed_s,
    CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY CASE WHEN stream THEN ttft_s END) AS DOUBLE PRECISION) AS p95_ttft_streamed_s,
    CAST(avg(CASE WHEN NOT stream THEN ttft_s END) AS DOUBLE PRECISION) AS avg_ttft_non_streamed_s,
    CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY CASE WHEN NOT stream THEN ttft_s END) AS DOUBLE PRECISION) AS p95_ttft_non_streamed_s,
    -- Throughput means something only where the call reports its usage.
    CAST(avg(CASE WHEN NOT flag_missing_usage THEN output_tokens_per_s END) AS DOUBLE PRECISION) AS avg_output_tokens_per_s,
    CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN NOT flag_missing_usage THEN output_tokens_per_s END) AS DOUBLE PRECISION) AS p50_output_tokens_per_s,
    count(max_tokens) AS calls_with_max_tokens,
    count(*) FILTER (WHERE hit_max_tokens) AS hit_max_tokens_calls
  FROM selected
  GROUP BY model_group
)
SELECT
  model_group AS model,
  calls,
  streamed_calls,
  calls_with_usage,
  prompt_tokens,
  completion_tokens,
  total_tokens,
  CAST(latency_q[1] AS DOUBLE PRECISION) AS p50_latency_s,
  CAST(latency_q[2] AS DOUBLE PRECISION) AS p95_latency_s,
  avg_ttft_streamed_s,
  p95_ttft_streamed_s,
  avg_ttft_non_streamed_s,
  p95_ttft_non_streamed_s,
  avg_output_tokens_per_s,
  p50_output_tokens_per_s,
  calls_with_max_tokens,
  hit_max_tokens_calls
FROM groups
