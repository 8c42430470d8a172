-- Whether this server is a standby (a read-only replica in recovery): its dirty days are the primary's to
-- rebuild, so a reader waits for them to clear rather than refusing.
SELECT pg_is_in_recovery();
