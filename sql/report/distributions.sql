-- The selection's values of each measure whose period-wide percentiles or means the report quotes, per model,
-- counted into log bins 1 % wide with each bin's count, sum, smallest and largest value; the report takes
-- percentiles from the bins (LogHistogram); sums are of the values in millionths, exactly. The same measures,
-- bin expression and sum as sql/report_marts/060_daily_model_distributions.sql, which distributions_utc.sql reads for
-- UTC days of all models.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
),
measured AS (
  -- One row per call and measure, from one read of the rows (two arrays unnested side by side), rather than one
  -- read per measure (PostgreSQL, 1M calls: 1.8-2.2 s against 3.1 s for a union of five). For non-streamed calls TTFT
  -- is the whole call, so streamed and non-streamed TTFT are apart; throughput means something only where the
  -- call reports its usage.
  SELECT
    model,
    unnest(ARRAY['latency_s', 'ttft_streamed_s', 'ttft_non_streamed_s', 'output_tokens_per_s', 'max_tokens_use']) AS measure,
    unnest(ARRAY[
      latency_s,
      CASE WHEN stream THEN ttft_s END,
      CASE WHEN NOT stream THEN ttft_s END,
      CASE WHEN NOT flag_missing_usage THEN output_tokens_per_s END,
      CASE WHEN max_tokens > 0 THEN CAST(completion_tokens AS DOUBLE PRECISION) / max_tokens END]) AS value
  FROM selected
),
binned AS (
  SELECT model, measure, value,
    CASE WHEN value > 0 THEN CAST(floor(ln(value) / ln(CAST(1.01 AS DOUBLE PRECISION))) AS BIGINT) ELSE -1000000 END AS bin
  FROM measured
  WHERE value IS NOT NULL
)
SELECT model, measure, bin, count(*) AS calls, coalesce(CAST(sum(CASE WHEN value < CAST(9e12 AS DOUBLE PRECISION) THEN CAST(floor(value * 1000000 + 0.5) AS BIGINT) END) AS DOUBLE PRECISION) / 1000000, 0) + coalesce(sum(CASE WHEN value >= CAST(9e12 AS DOUBLE PRECISION) THEN value END), 0) AS sum_value, min(value) AS min_value, max(value) AS max_value
FROM binned
GROUP BY model, measure, bin
