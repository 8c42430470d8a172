-- The instants gathered in reject_created_ats onto the rejects kept before V021. A reject whose day was read but
-- whose raw text no longer gives its instant (only an unusual text can) gets the noon of its UTC day, so that every
-- dated reject has an instant and a report in another zone counts it on the local day that holds that noon.
UPDATE rejects SET created_at = t.created_at
FROM reject_created_ats AS t
WHERE t.record_id = rejects.record_id;
UPDATE rejects SET created_at = CAST(created_day AS TIMESTAMP) + INTERVAL '12 hours'
WHERE created_at IS NULL AND created_day IS NOT NULL;
