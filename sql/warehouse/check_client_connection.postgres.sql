-- PostgreSQL 14+: a backend busy with a statement checks every second that its client is still there,
-- so a killed llmlog run's transaction aborts, and its writer lock frees, within a second rather than
-- when the statement would have finished.
SELECT set_config('client_connection_check_interval', @interval, false);
