-- PostgreSQL: keys where every key column is NOT NULL, an index on day where one may be NULL, so that
-- the refresh deletes a slice's days and the report reads a range of days through an index.
ALTER TABLE daily_report_metrics ADD CONSTRAINT daily_report_metrics_pkey PRIMARY KEY (day);
ALTER TABLE daily_model_distributions ADD CONSTRAINT daily_model_distributions_pkey PRIMARY KEY (day, model, measure, bin);
CREATE INDEX IF NOT EXISTS daily_request_type_metrics_day_idx ON daily_request_type_metrics (day);
CREATE INDEX IF NOT EXISTS daily_temperature_calls_day_idx ON daily_temperature_calls (day);
ALTER TABLE daily_flag_set_calls ADD CONSTRAINT daily_flag_set_calls_pkey PRIMARY KEY (day, flags);
ALTER TABLE daily_max_tokens_use_calls ADD CONSTRAINT daily_max_tokens_use_calls_pkey PRIMARY KEY (day, tenth);
ALTER TABLE daily_price_table_calls ADD CONSTRAINT daily_price_table_calls_pkey PRIMARY KEY (day, price_table_sha256);
