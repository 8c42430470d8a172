-- The first and last call in the warehouse: the days they fall on are the edges of the data.
SELECT min(created_at) AS first_call, max(created_at) AS last_call FROM calls;
