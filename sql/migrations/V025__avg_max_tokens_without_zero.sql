-- max_tokens 0 is no limit (V019), but the daily mart's avg_max_tokens still averaged it as a limit of 0: a day of a
-- call with 100 and one with 0 said 50 (found by recomputing the metrics from the raw records). The mart now averages
-- the calls that set a limit; the days that hold a call with 0 are rebuilt by the next refresh.
INSERT INTO dirty_days (day)
SELECT DISTINCT c.day FROM calls AS c
WHERE c.max_tokens = 0
  AND NOT EXISTS (SELECT 1 FROM dirty_days AS d WHERE d.day = c.day);
