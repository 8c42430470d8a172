-- Per UTC day, how repricing changed the costs: only days where some call's cost or source changed.
-- One slice of days at a time, @first_day to @last_day (TransformRunner): comparing every cost with its
-- previous one in one join held both tables' keys at once: over 10M calls that ran out of a 384MB DuckDB
-- limit, which the sliced comparison fits in (2026-12-04).
-- A cost has its call's day, so a call's previous cost is in the same slice.
WITH old_costs AS (
  SELECT record_id, day, cost_usd, cost_source
  FROM previous_call_costs
  WHERE day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
),
new_costs AS (
  SELECT record_id, day, cost_usd, cost_source
  FROM call_costs
  WHERE day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
),
before AS (
  SELECT day, CAST(sum(cost_usd) AS DOUBLE PRECISION) AS est_cost_usd, count(*) FILTER (WHERE cost_source = 'unpriced') AS unpriced_calls
  FROM old_costs
  GROUP BY day
),
after AS (
  SELECT day, CAST(sum(cost_usd) AS DOUBLE PRECISION) AS est_cost_usd, count(*) FILTER (WHERE cost_source = 'unpriced') AS unpriced_calls
  FROM new_costs
  GROUP BY day
),
changed AS (
  SELECT n.day, count(*) AS changed_calls
  FROM new_costs AS n
  LEFT JOIN old_costs AS o ON o.record_id = n.record_id
  WHERE o.record_id IS NULL
     OR o.cost_usd IS DISTINCT FROM n.cost_usd
     OR o.cost_source <> n.cost_source
  GROUP BY n.day
)
SELECT
  a.day,
  ch.changed_calls,
  b.est_cost_usd AS before_cost_usd,
  a.est_cost_usd AS after_cost_usd,
  COALESCE(b.unpriced_calls, 0) AS before_unpriced_calls,
  a.unpriced_calls AS after_unpriced_calls
FROM after AS a
JOIN changed AS ch ON ch.day = a.day
LEFT JOIN before AS b ON b.day = a.day
ORDER BY a.day;
