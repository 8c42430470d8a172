-- Which price tables produced the costs of the UTC days @from_day to @to_day (both included), all models, so a
-- report can name them: the per-day counts of the daily_price_table_calls mart (reading every cost row took 0.3 s
-- at 10M calls), summed per table. Another time zone or a model filter: price_tables_used_from_calls.sql.
WITH priced AS (
  SELECT price_table_sha256, sum(priced_calls) AS priced_calls
  FROM daily_price_table_calls
  WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
  GROUP BY price_table_sha256
)
SELECT t.price_table_sha256, t.source_path, t.in_force, CAST(p.priced_calls AS BIGINT) AS priced_calls
FROM priced AS p
JOIN price_tables AS t ON t.price_table_sha256 = p.price_table_sha256
ORDER BY t.price_table_sha256;
