-- A run that failed or was cut short, whose records came in some way no later run can recognise (a cut log moved to
-- another folder, a cut pipe sent again, an error page replaced by the export): `llmlog runs resolve` records when and
-- why (sql/runs/resolve_run.sql), and the report no longer says its records are missing. Before it, such a run stayed
-- listed for good and nothing could settle it (left open by the twenty-sixth and twenty-seventh sessions' probes).
-- Added last: the loaders write the columns in table order.
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS resolved_at TIMESTAMP;
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS resolved_note TEXT;
