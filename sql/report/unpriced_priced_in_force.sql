-- Calls of the selection left without a cost by a price table no longer in force, per model, that the table in force
-- prices (a row valid on the call's UTC day, exact or prefix, as staging/010_call_costs.sql matches): their day kept the
-- cost it got when first built, and 'llmlog transform --reprice' would give them one. The report runs this only when a
-- price table of its period is no longer in force.
WITH in_force AS (
  SELECT price_table_sha256 FROM price_tables WHERE in_force
),
unpriced AS (
  SELECT c.model, c.day
  FROM calls AS c
  JOIN call_costs AS k ON k.record_id = c.record_id AND k.day = c.day
  WHERE k.cost_source = 'unpriced'
    AND (k.price_table_sha256 IS NULL OR k.price_table_sha256 NOT IN (SELECT price_table_sha256 FROM in_force))
    AND c.prompt_tokens IS NOT NULL AND c.completion_tokens IS NOT NULL
    AND c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT u.model, count(*) AS calls
FROM unpriced AS u
WHERE EXISTS (
  SELECT 1
  FROM model_prices AS p
  WHERE p.price_table_sha256 IN (SELECT price_table_sha256 FROM in_force)
    AND u.day >= p.valid_from
    AND (p.valid_to IS NULL OR u.day <= p.valid_to)
    AND ((p.match_type = 'exact' AND u.model = p.model_match)
      OR (p.match_type = 'prefix' AND substr(u.model, 1, length(p.model_match)) = p.model_match))
)
GROUP BY u.model
ORDER BY u.model COLLATE "C"
