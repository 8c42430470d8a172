-- Per-model metrics of the selection. With @pool_rest every model but the six @keep names is pooled into
-- one row with a NULL model (the charts' "other"): percentiles of pooled calls cannot be made from
-- per-model percentiles, so the pool is aggregated from its calls.
WITH selected AS (
  SELECT
    c.*,
    CASE WHEN @pool_rest AND c.model NOT IN (@keep1, @keep2, @keep3, @keep4, @keep5, @keep6) THEN NULL ELSE c.model END AS model_group
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  model_group AS model,
  count(*) AS calls,
  count(*) FILTER (WHERE stream) AS streamed_calls,
  count(*) FILTER (WHERE NOT flag_missing_usage) AS calls_with_usage,
  CAST(coalesce(sum(prompt_tokens), 0) AS BIGINT) AS prompt_tokens,
  CAST(coalesce(sum(completion_tokens), 0) AS BIGINT) AS completion_tokens,
  CAST(coalesce(sum(total_tokens), 0) AS BIGINT) AS total_tokens,
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION) AS p50_latency_s,
  CAST(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_s) AS DOUBLE PRECISION) AS p95_latency_s,
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
