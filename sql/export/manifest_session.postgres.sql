-- PostgreSQL only, after the rows and before the manifest's lookups: tune_session turned nested loops off for
-- the day statements, but runs_behind_calls needs them to probe the run index once per run (1 ms) instead of
-- hashing every selected call (0.7 s at 1M calls).
SELECT set_config('enable_nestloop', 'on', true);
