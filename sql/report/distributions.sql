-- The selection's values of each measure whose period-wide percentiles or means the report quotes, per model,
-- counted into log bins 1 % wide with each bin's count, sum, smallest and largest value; the report takes
-- percentiles from the bins (LogHistogram). The same measures and bin expression as
-- sql/marts/060_daily_model_distributions.sql, which distributions_utc.sql reads for UTC days of all models.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
),
measured AS (
  SELECT model, 'latency_s' AS measure, latency_s AS value FROM selected WHERE latency_s IS NOT NULL
  UNION ALL
  SELECT model, 'ttft_streamed_s', ttft_s FROM selected WHERE stream AND ttft_s IS NOT NULL
  UNION ALL
  SELECT model, 'ttft_non_streamed_s', ttft_s FROM selected WHERE NOT stream AND ttft_s IS NOT NULL
  UNION ALL
  SELECT model, 'output_tokens_per_s', output_tokens_per_s FROM selected WHERE NOT flag_missing_usage AND output_tokens_per_s IS NOT NULL
  UNION ALL
  SELECT model, 'max_tokens_use', CAST(completion_tokens AS DOUBLE PRECISION) / max_tokens FROM selected WHERE max_tokens > 0 AND completion_tokens IS NOT NULL
),
binned AS (
  SELECT model, measure, value,
    CASE WHEN value > 0 THEN CAST(floor(ln(value) / ln(CAST(1.01 AS DOUBLE PRECISION))) AS BIGINT) ELSE -1000000 END AS bin
  FROM measured
)
SELECT model, measure, bin, count(*) AS calls, CAST(sum(value) AS DOUBLE PRECISION) AS sum_value, min(value) AS min_value, max(value) AS max_value
FROM binned
GROUP BY model, measure, bin
