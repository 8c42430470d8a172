-- PostgreSQL: one cost per call, guarded by the key; the marts and the summary read costs by day.
ALTER TABLE call_costs ADD CONSTRAINT call_costs_pkey PRIMARY KEY (record_id);
CREATE INDEX IF NOT EXISTS call_costs_day_idx ON call_costs (day);
