-- Which price tables produced the costs of a range of UTC days, so a report can name them.
SELECT t.price_table_sha256, t.source_path, t.in_force, CAST(count(*) AS BIGINT) AS priced_calls
FROM call_costs AS k
JOIN price_tables AS t ON t.price_table_sha256 = k.price_table_sha256
WHERE k.cost_source = 'computed'
  AND k.day >= CAST(@from_day AS DATE) AND k.day <= CAST(@to_day AS DATE)
GROUP BY t.price_table_sha256, t.source_path, t.in_force
ORDER BY t.price_table_sha256;
