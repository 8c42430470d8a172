-- PostgreSQL only, for the export's own transaction (is_local = true, so nothing outlives it).
-- The export reads one day at a time and one client takes every row, so that client is the bottleneck:
-- parallel workers only add a Gather Merge and compete with it for the cores (measured at 1M calls on
-- 2 cores: server CPU 10.9 s with the default 2 workers, 5.8 s with none). A day's sort fits in memory
-- with a larger work_mem instead of spilling to disk; it is still bounded, per sort, however big the export.
-- The planner guesses a day's calls ~25x too few (the day and created_at bounds say the same thing, and it
-- multiplies them), so for a third of the days it looked each call's cost up through the primary key
-- instead of hashing the day's costs: without nested loops, server CPU 8.4 s -> 6.4 s.
SELECT
  set_config('max_parallel_workers_per_gather', '0', true),
  set_config('work_mem', '64MB', true),
  set_config('enable_nestloop', 'off', true);
