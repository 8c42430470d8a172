-- Of each day's and model's unpriced calls, those that log no prompt/completion split (metrics.tokens only), which no
-- price can cost. The report tells them from calls whose model has no price; it counted them by joining every call of
-- the period to its cost, 2 s of a 4 s report at 10M calls (found by the benchmark). The mart now counts them as it
-- counts unpriced_calls; the days already built get their count here, from the same call rows and costs.
ALTER TABLE daily_model_metrics ADD COLUMN IF NOT EXISTS unpriced_calls_without_split BIGINT;

UPDATE daily_model_metrics SET unpriced_calls_without_split = 0;

UPDATE daily_model_metrics AS m
SET unpriced_calls_without_split = u.calls
FROM (
  SELECT c.day, c.model, count(*) AS calls
  FROM calls AS c
  JOIN call_costs AS k ON k.record_id = c.record_id AND k.day = c.day
  WHERE k.cost_source = 'unpriced'
    AND (c.prompt_tokens IS NULL OR c.completion_tokens IS NULL)
  GROUP BY c.day, c.model
) AS u
WHERE m.day = u.day AND m.model = u.model;
