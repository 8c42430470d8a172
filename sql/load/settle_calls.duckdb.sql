-- The run's calls were appended straight into calls; remove those already loaded by another run
-- and all but the first occurrence within this run. Only the narrow key columns are read.
-- Duplicates are rare, so the candidates come first: the ids of this run that another run holds, and
-- those that occur twice in this run. Only the candidates' rows are then ranked (another run's copy
-- first, then this run's in file order), and every copy of this run after the first goes.
-- One large operation per statement, each of which DuckDB can spill to disk: in one statement, a
-- forced re-read of a 10M-call file that is all duplicates ran out of a 256MB limit
-- (docs/performance-history.md).
DROP TABLE IF EXISTS settle_call_ids;
DROP TABLE IF EXISTS settle_call_rows;
CREATE TEMP TABLE settle_call_ids AS
SELECT record_id FROM calls
WHERE run_id <> @run_id AND record_id IN (SELECT record_id FROM calls WHERE run_id = @run_id);
INSERT INTO settle_call_ids
SELECT record_id FROM calls WHERE run_id = @run_id GROUP BY record_id HAVING count(*) > 1;
-- Each copy also gets a hash of the record's own fields (those compared below), so that the copies differing
-- from the one kept are found in this same pass; only those are then compared field by field.
CREATE TEMP TABLE settle_call_rows AS
SELECT row_id, fields <> kept_fields AS differs FROM (
  SELECT row_id, run_id, fields,
    row_number() OVER copies AS copy,
    first_value(fields) OVER copies AS kept_fields
  FROM (
    SELECT c.rowid AS row_id, c.run_id, c.record_id, c.record_number,
      hash(c.created_at, c.model, c.stream, c.request_type, c.max_tokens, c.temperature, c.started_at, c.ended_at,
        c.ttft_s, c.prompt_tokens, c.completion_tokens, c.total_tokens, c.prompt_cached_tokens, c.logged_cost_usd) AS fields
    FROM calls AS c
    WHERE c.record_id IN (SELECT record_id FROM settle_call_ids)
  ) AS candidates
  WINDOW copies AS (PARTITION BY record_id ORDER BY run_id = @run_id, record_number)
) AS ranked
WHERE run_id = @run_id AND copy > 1;
-- The copies about to go that differ from the call kept (another run's, or this run's first copy): the first
-- copy wins, but the run says how many differed and in which of the record's own fields, so a later export
-- that changed a call (Braintrust updates rows by id) is not dropped without a word. Read by
-- load/differing_copies.sql; dropped with the staging tables. Only the copies whose hash differs are joined.
-- A call loaded before llmlog read cached prompt tokens (V015) has none, which says nothing of its record, so a
-- copy is not said to differ from it in them.
-- max_tokens 0 is no limit, as is none (sql/migrations/V019): the two do not differ.
DROP TABLE IF EXISTS settle_differing;
CREATE TEMP TABLE settle_differing AS
SELECT
  count(*) AS copies,
  min(later.record_id) AS example_id,
  count(*) FILTER (WHERE later.created_at IS DISTINCT FROM kept.created_at) AS created_at,
  count(*) FILTER (WHERE later.model IS DISTINCT FROM kept.model) AS model,
  count(*) FILTER (WHERE later.stream IS DISTINCT FROM kept.stream) AS stream,
  count(*) FILTER (WHERE later.request_type IS DISTINCT FROM kept.request_type) AS request_type,
  count(*) FILTER (WHERE nullif(later.max_tokens, 0) IS DISTINCT FROM nullif(kept.max_tokens, 0)) AS max_tokens,
  count(*) FILTER (WHERE later.temperature IS DISTINCT FROM kept.temperature) AS temperature,
  count(*) FILTER (WHERE later.started_at IS DISTINCT FROM kept.started_at) AS started_at,
  count(*) FILTER (WHERE later.ended_at IS DISTINCT FROM kept.ended_at) AS ended_at,
  count(*) FILTER (WHERE later.ttft_s IS DISTINCT FROM kept.ttft_s) AS ttft_s,
  count(*) FILTER (WHERE later.prompt_tokens IS DISTINCT FROM kept.prompt_tokens) AS prompt_tokens,
  count(*) FILTER (WHERE later.completion_tokens IS DISTINCT FROM kept.completion_tokens) AS completion_tokens,
  count(*) FILTER (WHERE later.total_tokens IS DISTINCT FROM kept.total_tokens) AS total_tokens,
  count(*) FILTER (WHERE kept.prompt_cached_tokens IS NOT NULL AND later.prompt_cached_tokens IS DISTINCT FROM kept.prompt_cached_tokens) AS prompt_cached_tokens,
  count(*) FILTER (WHERE later.logged_cost_usd IS DISTINCT FROM kept.logged_cost_usd) AS logged_cost_usd
FROM calls AS later
JOIN calls AS kept ON kept.record_id = later.record_id
WHERE later.rowid IN (SELECT row_id FROM settle_call_rows WHERE differs)
  AND kept.record_id IN (SELECT d.record_id FROM calls AS d WHERE d.rowid IN (SELECT row_id FROM settle_call_rows WHERE differs))
  AND kept.rowid NOT IN (SELECT row_id FROM settle_call_rows)
  AND (
    later.created_at IS DISTINCT FROM kept.created_at
    OR later.model IS DISTINCT FROM kept.model
    OR later.stream IS DISTINCT FROM kept.stream
    OR later.request_type IS DISTINCT FROM kept.request_type
    OR nullif(later.max_tokens, 0) IS DISTINCT FROM nullif(kept.max_tokens, 0)
    OR later.temperature IS DISTINCT FROM kept.temperature
    OR later.started_at IS DISTINCT FROM kept.started_at
    OR later.ended_at IS DISTINCT FROM kept.ended_at
    OR later.ttft_s IS DISTINCT FROM kept.ttft_s
    OR later.prompt_tokens IS DISTINCT FROM kept.prompt_tokens
    OR later.completion_tokens IS DISTINCT FROM kept.completion_tokens
    OR later.total_tokens IS DISTINCT FROM kept.total_tokens
    OR (kept.prompt_cached_tokens IS NOT NULL AND later.prompt_cached_tokens IS DISTINCT FROM kept.prompt_cached_tokens)
    OR later.logged_cost_usd IS DISTINCT FROM kept.logged_cost_usd
  );
DELETE FROM calls WHERE rowid IN (SELECT row_id FROM settle_call_rows);
DROP TABLE settle_call_ids;
DROP TABLE settle_call_rows;
