-- Export of calls for one slice of time: the calls created in [@from_utc, @to_utc), optionally of one
-- model or family, with their date-effective cost. `day` is the day in @zone (UTC unless --timezone).
-- llmlog runs this once per day of the selection, or once for several sparse days (at most 50,000 calls;
-- ExportPlan.SliceCalls), so the sort and the cost join hold at most that many or one day's calls. The `day`
-- bounds are redundant with created_at but let PostgreSQL use its day indexes.
WITH costs AS (
  SELECT k.record_id, k.cost_usd, k.cost_source
  FROM call_costs AS k
  WHERE k.day >= CAST(@from_day_utc AS DATE) AND k.day <= CAST(@to_day_utc AS DATE)
)
SELECT
  c.record_id,
  c.created_at,
  CAST((c.created_at AT TIME ZONE 'UTC') AT TIME ZONE @zone AS DATE) AS day,
  c.model,
  c.model_family,
  c.model_version,
  c.stream,
  c.request_type,
  c.max_tokens,
  c.temperature,
  c.started_at,
  c.ended_at,
  c.latency_s,
  c.ttft_s,
  c.prompt_tokens,
  c.completion_tokens,
  c.total_tokens,
  c.output_tokens_per_s,
  c.hit_max_tokens,
  c.logged_cost_usd,
  k.cost_usd,
  k.cost_source,
  c.flags,
  c.flag_tokens_mismatch,
  c.flag_missing_usage,
  c.flag_ttft_exceeds_latency,
  c.flag_completion_exceeds_max_tokens,
  c.source_file,
  c.record_number,
  c.line_number,
  c.run_id,
  -- Last, as V015 added it to calls: tables made from an earlier export's calls.sql keep their columns in place.
  c.prompt_cached_tokens
FROM calls AS c
LEFT JOIN costs AS k ON k.record_id = c.record_id
WHERE c.created_at >= @from_utc
  AND c.created_at < @to_utc
  AND c.day >= CAST(@from_day_utc AS DATE)
  AND c.day <= CAST(@to_day_utc AS DATE)
  AND (@model = '' OR c.model = @model OR c.model_family = @model)
ORDER BY c.created_at, c.record_id;
