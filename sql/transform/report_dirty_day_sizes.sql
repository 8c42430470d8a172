-- How many calls each day with stale report marts holds, so they are built a bounded slice at a time.
SELECT d.day, CAST(count(c.record_id) AS BIGINT) AS calls
FROM report_dirty_days AS d
LEFT JOIN calls AS c ON c.day = d.day
GROUP BY d.day
ORDER BY d.day;
