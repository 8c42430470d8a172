-- daily_price_table_calls: per UTC day, how many calls each price table priced (cost_source 'computed'), so
-- sql/metrics/price_tables_used.sql names the tables behind a range of days without reading every cost.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher); the
-- slice's costs are written first (sql/staging), and --reprice rebuilds every day.
DELETE FROM daily_price_table_calls WHERE day IN (SELECT day FROM dirty_days)
  AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE);

INSERT INTO daily_price_table_calls (day, price_table_sha256, priced_calls)
WITH dirty_costs AS (
  SELECT day, price_table_sha256
  FROM call_costs
  WHERE day IN (SELECT day FROM dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
    AND cost_source = 'computed'
    AND price_table_sha256 IS NOT NULL
)
SELECT day, price_table_sha256, count(*)
FROM dirty_costs
GROUP BY day, price_table_sha256;
