-- daily_model_distributions: per UTC day and model, a log-binned histogram of each measure whose period-wide
-- percentiles or means the report quotes: bins 1 % wide (bin k holds values in [1.01^k, 1.01^(k+1))), zero in
-- bin -1000000, with each bin's count, sum, smallest and largest value. Merged over days and models, the bins
-- give any period's percentiles within 0.5 % (LogHistogram in the report) and its means exactly.
-- sql/report/distributions.sql bins the call rows the same way for another zone or a model filter (keep the
-- measures and the bin expression of the two files equal; a test compares the reports).
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher.RefreshReportDays).
DELETE FROM daily_model_distributions WHERE day IN (SELECT day FROM report_dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_model_distributions (day, model, measure, bin, calls, sum_value, min_value, max_value)
WITH dirty_calls AS (
  SELECT * FROM calls WHERE day IN (SELECT day FROM report_dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
),
measured AS (
  -- One row per call and measure, from one read of the rows (two arrays unnested side by side), rather than one
  -- read per measure (PostgreSQL, 1M calls: 1.8-2.2 s against 3.1 s for a union of five). For non-streamed calls TTFT
  -- is the whole call, so streamed and non-streamed TTFT are apart; throughput means something only where the
  -- call reports its usage.
  SELECT
    day, model,
    unnest(ARRAY['latency_s', 'ttft_streamed_s', 'ttft_non_streamed_s', 'output_tokens_per_s', 'max_tokens_use']) AS measure,
    unnest(ARRAY[
      latency_s,
      CASE WHEN stream THEN ttft_s END,
      CASE WHEN NOT stream THEN ttft_s END,
      CASE WHEN NOT flag_missing_usage THEN output_tokens_per_s END,
      CASE WHEN max_tokens > 0 THEN CAST(completion_tokens AS DOUBLE PRECISION) / max_tokens END]) AS value
  FROM dirty_calls
),
binned AS (
  -- ln of a DOUBLE on both engines (a bare 1.01 is NUMERIC on PostgreSQL), so both put a value in the same bin.
  SELECT day, model, measure, value,
    CASE WHEN value > 0 THEN CAST(floor(ln(value) / ln(CAST(1.01 AS DOUBLE PRECISION))) AS BIGINT) ELSE -1000000 END AS bin
  FROM measured
  WHERE value IS NOT NULL
)
SELECT
  day, model, measure, bin, count(*),
  -- Summed exactly, in millionths: a sum of doubles depends on the order the engine adds them in (shares of a
  -- power-of-two max_tokens often sum to a value whose last digit that order flips, so a rebuild would differ),
  -- and a sum of NUMERIC took the PostgreSQL refresh of 1M calls 2 s longer than a sum of BIGINT. A value of 9e12 or
  -- more (1e9 tokens logged in a microsecond) has no millionths a BIGINT can hold: those few are summed as doubles
  -- (one such call failed every report and transform with an out-of-range cast, found by probing).
  coalesce(CAST(sum(CASE WHEN value < CAST(9e12 AS DOUBLE PRECISION) THEN CAST(floor(value * 1000000 + 0.5) AS BIGINT) END) AS DOUBLE PRECISION) / 1000000, 0)
    + coalesce(sum(CASE WHEN value >= CAST(9e12 AS DOUBLE PRECISION) THEN value END), 0),
  min(value), max(value)
FROM binned
GROUP BY day, model, measure, bin;
