-- Records rejected in the period: by the day of `created` where it parsed, else counted always.
SELECT count(*)
FROM rejects
WHERE created_day IS NULL OR (created_day >= CAST(@from_day AS DATE) AND created_day <= CAST(@to_day AS DATE))
