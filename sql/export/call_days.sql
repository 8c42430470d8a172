-- The UTC days that hold calls, and how many: one row each in the daily mart, which every export refreshes
-- first. The calls export reads only the local days that overlap them, so a range with long gaps is not one
-- statement per empty day (two calls 55 years apart took a minute), and reads sparse days together.
SELECT day, calls FROM daily_llm_metrics ORDER BY day;
