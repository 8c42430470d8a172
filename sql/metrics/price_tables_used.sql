-- Which price tables produced the costs of a range of UTC days, so a report can name them. The costs are
-- counted per table before the join: joining each of 10M cost rows to its table first costs twice as much.
WITH priced AS (
  SELECT price_table_sha256, count(*) AS priced_calls
  FROM call_costs
  WHERE cost_source = 'computed'
    AND day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
  GROUP BY price_table_sha256
)
SELECT t.price_table_sha256, t.source_path, t.in_force, CAST(p.priced_calls AS BIGINT) AS priced_calls
FROM priced AS p
JOIN price_tables AS t ON t.price_table_sha256 = p.price_table_sha256
ORDER BY t.price_table_sha256;
