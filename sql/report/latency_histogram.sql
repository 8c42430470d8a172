-- Positive latencies counted into @bins bins of width @width on a log10 axis starting at @lo; the last bin
-- also takes the maximum. trunc before the cast: a cast to INTEGER rounds on both engines.
WITH selected AS (
  SELECT c.*
  FROM calls AS c
  WHERE c.created_at >= @from_utc
    AND c.created_at < @to_utc
    AND (@model = '' OR c.model = @model OR c.model_family = @model)
)
SELECT
  least(@bins - 1, CAST(trunc((log10(latency_s) - @lo) / @width) AS INTEGER)) AS bin,
  count(*) AS calls
FROM selected
WHERE latency_s > 0
GROUP BY 1
