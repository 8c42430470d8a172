-- --reprice: keep the costs as they were, to show what changed, and let every call be priced again.
DROP TABLE IF EXISTS previous_call_costs;
CREATE TEMP TABLE previous_call_costs AS SELECT * FROM call_costs;
DELETE FROM call_costs;
