-- The first day from which each row pattern of the price table in force gives a price (exact or prefix, as
-- staging/010_call_costs.sql matches): a model it prices only from a day after its unpriced calls needs an older price
-- row or right timestamps, not a price table. A few hundred rows, read only when some call of the report has no price.
SELECT p.model_match, p.match_type, min(p.valid_from) AS first_day
FROM model_prices AS p
WHERE p.price_table_sha256 IN (SELECT price_table_sha256 FROM price_tables WHERE in_force)
GROUP BY p.model_match, p.match_type
