-- call_costs: the cost of every call on a dirty day that has none yet. A call keeps the cost it got
-- when its day was first built; only 'llmlog transform --reprice' empties this table to price again.
-- The price is the most specific row of the table in force that is valid on the call's UTC day:
-- exact over prefix, longer prefix over shorter, later valid_from over earlier. Prompt tokens the call read from
-- the provider's cache cost the row's cached_input_per_1m_usd (the input price where the row has none); a call
-- that says it cached more prompt tokens than it sent is priced as if it cached none.
-- One slice of the refresh at a time: the dirty days from @first_day to @last_day (see MartRefresher). The
-- range also gives PostgreSQL an index range on day and DuckDB row-group bounds instead of a whole-table read.
INSERT INTO call_costs (record_id, day, cost_usd, cost_source, price_table_sha256, price_line_number, priced_at)
WITH dirty_costs AS (
  -- A cost has its call's day, so only the slice's days can hold one: a small table to hash against,
  -- rather than a key lookup into every cost ever computed for each call.
  SELECT record_id FROM call_costs WHERE day IN (SELECT day FROM dirty_days) AND day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
),
calls_without_cost AS (
  SELECT c.record_id, c.day, c.model, c.prompt_tokens, c.completion_tokens, c.prompt_cached_tokens, c.logged_cost_usd, c.flag_missing_usage
  FROM calls AS c
  WHERE c.day IN (SELECT day FROM dirty_days) AND c.day BETWEEN CAST(@first_day AS DATE) AND CAST(@last_day AS DATE)
    AND NOT EXISTS (SELECT 1 FROM dirty_costs AS k WHERE k.record_id = c.record_id)
),
table_in_force AS (
  SELECT price_table_sha256 FROM price_tables WHERE in_force
),
prices_in_force AS (
  SELECT p.*
  FROM model_prices AS p
  WHERE p.price_table_sha256 IN (SELECT price_table_sha256 FROM table_in_force)
),
-- The price depends only on a call's model and day, so it is chosen once per (model, day) pair of the
-- slice — a few hundred pairs rather than every call against every price row.
model_days AS (
  SELECT DISTINCT model, day FROM calls_without_cost
),
best_price AS (
  SELECT DISTINCT ON (u.model, u.day)
    u.model, u.day, p.price_table_sha256, p.line_number, p.input_per_1m_usd, p.cached_input_per_1m_usd, p.output_per_1m_usd
  FROM model_days AS u
  JOIN prices_in_force AS p
    ON u.day >= p.valid_from
   AND (p.valid_to IS NULL OR u.day <= p.valid_to)
   AND ((p.match_type = 'exact' AND u.model = p.model_match)
     OR (p.match_type = 'prefix' AND substr(u.model, 1, length(p.model_match)) = p.model_match))
  ORDER BY u.model, u.day,
    CASE WHEN p.match_type = 'exact' THEN 0 ELSE 1 END,
    length(p.model_match) DESC,
    p.valid_from DESC,
    p.line_number DESC
),
costed AS (
  SELECT
    u.record_id,
    u.day,
    u.logged_cost_usd,
    u.flag_missing_usage,
    (SELECT price_table_sha256 FROM table_in_force) AS table_sha256,
    b.line_number,
    CASE
      WHEN b.model IS NOT NULL AND u.prompt_tokens IS NOT NULL AND u.completion_tokens IS NOT NULL
        THEN CAST((
          CASE
            WHEN u.prompt_cached_tokens IS NOT NULL AND u.prompt_cached_tokens <= u.prompt_tokens
              THEN (u.prompt_tokens - u.prompt_cached_tokens) * b.input_per_1m_usd
                + u.prompt_cached_tokens * coalesce(b.cached_input_per_1m_usd, b.input_per_1m_usd)
            ELSE u.prompt_tokens * b.input_per_1m_usd
          END
          + u.completion_tokens * b.output_per_1m_usd) / CAST(1000000 AS DOUBLE PRECISION) AS DOUBLE PRECISION)
    END AS computed_cost_usd
  FROM calls_without_cost AS u
  LEFT JOIN best_price AS b ON b.model = u.model AND b.day = u.day
)
SELECT
  record_id,
  day,
  CASE WHEN logged_cost_usd IS NOT NULL THEN logged_cost_usd ELSE computed_cost_usd END,
  CASE
    WHEN logged_cost_usd IS NOT NULL THEN 'logged'
    WHEN computed_cost_usd IS NOT NULL THEN 'computed'
    WHEN flag_missing_usage THEN 'no_usage'
    ELSE 'unpriced'
  END,
  -- The table consulted, also when it had no price: a newer table may price those calls on --reprice.
  CASE WHEN logged_cost_usd IS NULL AND NOT flag_missing_usage THEN table_sha256 END,
  CASE WHEN logged_cost_usd IS NULL AND computed_cost_usd IS NOT NULL THEN line_number END,
  @refreshed_at
FROM costed;
