-- How many of this run's calls had been rejected before (mark_rejects_loaded.sql marked their rejects): one call
-- rejected in two bad versions has two reject rows, and the log's "N of its calls" counted the rows (found by
-- probing upgrades). Run only when some were marked.
SELECT count(DISTINCT call_id)
FROM rejects
WHERE loaded_by_run = @run_id
  AND call_id IS NOT NULL;
