-- Whether any call of the UTC days (all models) has a cost computed from a price table rather than logged.
SELECT EXISTS (
  SELECT 1
  FROM call_costs
  WHERE cost_source = 'computed'
    AND day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE)
) AS any_computed
