-- PostgreSQL's settle (DuckDB's is settle_calls.duckdb.sql). Every look-up of calls below goes through its key:
-- once calls had been analysed (or vacuumed) while empty, PostgreSQL took it for one row and checked each staged row
-- against a sequential scan of it, which grew with every row the statement inserted: 100,000 records from standard
-- input into a warehouse that held one reject took 251 s against 5 s (found by probing PostgreSQL as DBAs run it).
-- Without a sequential scan of calls to choose, the key is used, whatever the statistics say.
SET LOCAL enable_seqscan = off;
-- Move the staged calls in, keeping the first occurrence of a record within the file and nothing
-- that is already loaded. Two anti-joins on record_id rather than DISTINCT ON, so the wide raw
-- column is never sorted.
INSERT INTO calls
SELECT s.*
FROM stage_calls AS s
WHERE NOT EXISTS (SELECT 1 FROM calls AS c WHERE c.record_id = s.record_id)
  AND NOT EXISTS (SELECT 1 FROM stage_calls AS d WHERE d.record_id = s.record_id AND d.record_number < s.record_number);

-- The copies left out that differ from the call kept (another run's, or this file's first): the first copy
-- wins, but the run says how many differed and in which of the record's own fields, so a later export that
-- changed a call (Braintrust updates rows by id) is not dropped without a word. Read by
-- load/differing_copies.sql; dropped with the staging tables.
-- A call loaded before llmlog read cached prompt tokens (V015) has none, which says nothing of its record, so a
-- copy is not said to differ from it in them.
-- max_tokens 0 is no limit, as is none (sql/migrations/V019): the two do not differ.
DROP TABLE IF EXISTS settle_differing;
CREATE TEMP TABLE settle_differing AS
SELECT
  count(*) AS copies,
  min(s.record_id) AS example_id,
  count(*) FILTER (WHERE s.created_at IS DISTINCT FROM c.created_at) AS created_at,
  count(*) FILTER (WHERE s.model IS DISTINCT FROM c.model) AS model,
  count(*) FILTER (WHERE s.stream IS DISTINCT FROM c.stream) AS stream,
  count(*) FILTER (WHERE s.request_type IS DISTINCT FROM c.request_type) AS request_type,
  count(*) FILTER (WHERE nullif(s.max_tokens, 0) IS DISTINCT FROM nullif(c.max_tokens, 0)) AS max_tokens,
  count(*) FILTER (WHERE s.temperature IS DISTINCT FROM c.temperature) AS temperature,
  count(*) FILTER (WHERE s.started_at IS DISTINCT FROM c.started_at) AS started_at,
  count(*) FILTER (WHERE s.ended_at IS DISTINCT FROM c.ended_at) AS ended_at,
  count(*) FILTER (WHERE s.ttft_s IS DISTINCT FROM c.ttft_s) AS ttft_s,
  count(*) FILTER (WHERE s.prompt_tokens IS DISTINCT FROM c.prompt_tokens) AS prompt_tokens,
  count(*) FILTER (WHERE s.completion_tokens IS DISTINCT FROM c.completion_tokens) AS completion_tokens,
  count(*) FILTER (WHERE s.total_tokens IS DISTINCT FROM c.total_tokens) AS total_tokens,
  count(*) FILTER (WHERE c.prompt_cached_tokens IS NOT NULL AND s.prompt_cached_tokens IS DISTINCT FROM c.prompt_cached_tokens) AS prompt_cached_tokens,
  count(*) FILTER (WHERE s.logged_cost_usd IS DISTINCT FROM c.logged_cost_usd) AS logged_cost_usd
FROM stage_calls AS s
JOIN calls AS c ON c.record_id = s.record_id
WHERE NOT (c.run_id = @run_id AND c.record_number = s.record_number)
  -- Only when a staged call was left out: a file of new calls (standard input) would otherwise join every staged
  -- row to itself just inserted, about 1 s per 500k calls. PostgreSQL tests this once, before the join.
  AND (SELECT count(*) FROM stage_calls) > (SELECT count(*) FROM calls WHERE run_id = @run_id)
  AND (
    s.created_at IS DISTINCT FROM c.created_at
    OR s.model IS DISTINCT FROM c.model
    OR s.stream IS DISTINCT FROM c.stream
    OR s.request_type IS DISTINCT FROM c.request_type
    OR nullif(s.max_tokens, 0) IS DISTINCT FROM nullif(c.max_tokens, 0)
    OR s.temperature IS DISTINCT FROM c.temperature
    OR s.started_at IS DISTINCT FROM c.started_at
    OR s.ended_at IS DISTINCT FROM c.ended_at
    OR s.ttft_s IS DISTINCT FROM c.ttft_s
    OR s.prompt_tokens IS DISTINCT FROM c.prompt_tokens
    OR s.completion_tokens IS DISTINCT FROM c.completion_tokens
    OR s.total_tokens IS DISTINCT FROM c.total_tokens
    OR (c.prompt_cached_tokens IS NOT NULL AND s.prompt_cached_tokens IS DISTINCT FROM c.prompt_cached_tokens)
    OR s.logged_cost_usd IS DISTINCT FROM c.logged_cost_usd
  );
SET LOCAL enable_seqscan TO DEFAULT;
