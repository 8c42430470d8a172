-- max_tokens 0 is no limit (an SDK writes 0 for "unset"; no provider takes a limit of 0): since this version a call
-- with it neither hits its limit nor exceeds it (docs/ingest.md). Calls an earlier llmlog loaded with it had
-- hit_max_tokens true and the completion_exceeds_max_tokens flag whenever they reported completion tokens: they
-- get the verdict a call loaded now gets, and their days are rebuilt by the next refresh. The flag is the last
-- name in the comma-separated list (CallFlagNames), so it is either the whole list or its last entry.
INSERT INTO dirty_days (day)
SELECT DISTINCT c.day FROM calls AS c
WHERE c.max_tokens = 0 AND (c.hit_max_tokens IS NOT NULL OR c.flag_completion_exceeds_max_tokens)
  AND NOT EXISTS (SELECT 1 FROM dirty_days AS d WHERE d.day = c.day);

-- A run counts the calls it loaded with any flag; a call whose only flag this was is no longer flagged.
UPDATE ingest_runs
SET records_flagged = records_flagged - (
  SELECT count(*) FROM calls AS c
  WHERE c.run_id = ingest_runs.run_id AND c.max_tokens = 0 AND c.flags = 'completion_exceeds_max_tokens')
WHERE run_id IN (SELECT run_id FROM calls WHERE max_tokens = 0 AND flags = 'completion_exceeds_max_tokens');

UPDATE calls
SET hit_max_tokens = NULL,
    flag_completion_exceeds_max_tokens = FALSE,
    flags = replace(replace(flags, ',completion_exceeds_max_tokens', ''), 'completion_exceeds_max_tokens', '')
WHERE max_tokens = 0 AND (hit_max_tokens IS NOT NULL OR flag_completion_exceeds_max_tokens);
