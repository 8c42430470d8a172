-- Session-level: held until the connection closes, so a killed run never leaves it behind.
SELECT pg_try_advisory_lock(@key);
