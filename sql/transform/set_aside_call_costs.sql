-- --reprice: keep the costs as they were, to show what changed, and let every call be priced again.
-- TRUNCATE rather than DELETE: PostgreSQL would keep a million dead rows in the table and its indexes
-- for the new costs to be written beside (both engines run it inside the transaction).
DROP TABLE IF EXISTS previous_call_costs;
CREATE TEMP TABLE previous_call_costs AS SELECT * FROM call_costs;
TRUNCATE call_costs;
