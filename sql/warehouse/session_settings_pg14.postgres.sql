-- PostgreSQL 14+, for each of llmlog's sessions:
-- A backend busy with a statement checks every second that its client is still there, so a killed llmlog run's
-- transaction aborts, and its writer lock frees, within a second rather than when the statement would have finished.
SELECT set_config('client_connection_check_interval', @interval, false);
-- A session of llmlog's may wait idle while another of its sessions works (the refresh's second slice, a report's
-- readers): an idle_session_timeout set for the database or role ended it, and the run failed with "the connection to
-- the PostgreSQL server was lost", exit 4, and failed so again on every rerun (found by probing PostgreSQL as DBAs run
-- it). llmlog's sessions end with the run.
SELECT set_config('idle_session_timeout', '0', false);
