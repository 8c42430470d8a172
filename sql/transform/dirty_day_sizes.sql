-- How many calls each dirty day holds, so the refresh can build the marts a bounded slice at a time.
SELECT d.day, CAST(count(c.record_id) AS BIGINT) AS calls
FROM dirty_days AS d
LEFT JOIN calls AS c ON c.day = d.day
GROUP BY d.day
ORDER BY d.day;
