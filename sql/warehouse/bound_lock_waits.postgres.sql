-- llmlog's --lock-timeout (in milliseconds) bounds the session's waits for another session's lock on a table or row,
-- so that a VACUUM FULL, an ALTER TABLE or a transaction left open ends a scheduled run with a message rather than
-- holding it for ever. A lock_timeout that the role, the database or PGOPTIONS gives the session is kept.
SELECT set_config('lock_timeout', @timeout, false)
WHERE current_setting('lock_timeout') = '0';
