-- Calls priced (or found unpriced) under a price table that is no longer in force.
SELECT count(*)
FROM call_costs AS k
WHERE k.cost_source IN ('computed', 'unpriced')
  AND (k.price_table_sha256 IS NULL
    OR k.price_table_sha256 NOT IN (SELECT price_table_sha256 FROM price_tables WHERE in_force));
