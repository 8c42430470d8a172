-- How many costs each day holds, so --reprice can compare the new costs with the old a bounded slice at a time.
SELECT day, CAST(count(*) AS BIGINT) AS calls
FROM call_costs
GROUP BY day
ORDER BY day;
