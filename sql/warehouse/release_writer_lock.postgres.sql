-- Session-level locks outlive Close() when Npgsql keeps the connection in its pool; release them all
-- (the lock is taken once for migrations and once per command) before the connection is given back.
SELECT pg_advisory_unlock_all();
