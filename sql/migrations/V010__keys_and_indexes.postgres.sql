-- PostgreSQL: the record id is the primary key (a second guard behind the load's anti-join), and
-- the day and run columns are indexed for the incremental transform and the per-run counts.
ALTER TABLE calls ADD CONSTRAINT calls_pkey PRIMARY KEY (record_id);
ALTER TABLE rejects ADD CONSTRAINT rejects_pkey PRIMARY KEY (record_id);
CREATE INDEX IF NOT EXISTS calls_day_idx ON calls (day);
CREATE INDEX IF NOT EXISTS calls_run_idx ON calls (run_id);
CREATE INDEX IF NOT EXISTS rejects_run_idx ON rejects (run_id);
