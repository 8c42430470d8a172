-- Which price tables produced the costs of the calls created in [@from_utc, @to_utc) of one model or family
-- (@model, '' for every model): what price_tables_used.sql says from its per-UTC-day mart, for a selection that
-- mart cannot stand for — local days in another time zone, or a model filter. The same columns as that file.
WITH selected_calls AS (
  SELECT record_id
  FROM calls
  WHERE created_at >= @from_utc
    AND created_at < @to_utc
    AND (@model = '' OR model = @model OR model_family = @model)
),
priced AS (
  SELECT k.price_table_sha256, count(*) AS priced_calls
  FROM call_costs AS k
  JOIN selected_calls AS c ON c.record_id = k.record_id
  -- A cost has its call's UTC day: the range lets both engines skip the other days' costs.
  WHERE k.day >= CAST(@from_utc AS DATE) AND k.day <= CAST(@to_utc AS DATE)
    AND k.cost_source = 'computed'
    AND k.price_table_sha256 IS NOT NULL
  GROUP BY k.price_table_sha256
)
SELECT t.price_table_sha256, t.source_path, t.in_force, CAST(p.priced_calls AS BIGINT) AS priced_calls
FROM priced AS p
JOIN price_tables AS t ON t.price_table_sha256 = p.price_table_sha256
ORDER BY t.price_table_sha256;
