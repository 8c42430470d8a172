DROP TABLE IF EXISTS previous_call_costs;
