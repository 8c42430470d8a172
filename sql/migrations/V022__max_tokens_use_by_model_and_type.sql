-- The report's max_tokens finding divides each model's and request type's hits by its calls that set a limit and
-- report their completion tokens (the calls whose use of the limit is known), as its headline does: before this
-- version it divided them by all their calls with a limit, those that report no completion tokens included, so a
-- model's share read lower than the headline's for the same calls. The new column is filled when the report's
-- marts are rebuilt, for every day, by the next report.
ALTER TABLE daily_request_type_metrics ADD COLUMN calls_with_max_tokens_use BIGINT;

INSERT INTO report_dirty_days (day)
SELECT DISTINCT m.day FROM daily_request_type_metrics AS m
WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days AS r WHERE r.day = m.day);
