-- The selection's calls left without a cost, per model: how many of them log no prompt/completion split, which no
-- price can cost (docs/metrics.md), and the last UTC day of the others, since a price takes effect on a UTC day. The
-- report tells a missing price from a missing split and from calls dated before a model's first price with them: it
-- told the user to add to a price table a model the table priced, whose calls logged only metrics.tokens, and with
-- --timezone it compared local days with the UTC days prices start on (found by probing costs). Run only when the
-- selection has such calls, over the days and models the marts count them on.
WITH unpriced_groups AS (
  SELECT day, model
  FROM daily_model_metrics
  WHERE unpriced_calls > 0
    AND day >= CAST(@from_utc AS DATE)
    AND day <= CAST(@to_utc AS DATE)
)
SELECT
  c.model,
  count(*) FILTER (WHERE c.prompt_tokens IS NULL OR c.completion_tokens IS NULL) AS without_split,
  max(c.day) FILTER (WHERE c.prompt_tokens IS NOT NULL AND c.completion_tokens IS NOT NULL) AS last_day_with_split
FROM calls AS c
JOIN call_costs AS k ON k.record_id = c.record_id AND k.day = c.day
WHERE k.cost_source = 'unpriced'
  AND c.created_at >= @from_utc
  AND c.created_at < @to_utc
  AND (@model = '' OR c.model = @model OR c.model_family = @model)
  AND EXISTS (SELECT 1 FROM unpriced_groups AS g WHERE g.day = c.day AND g.model = c.model)
GROUP BY c.model
