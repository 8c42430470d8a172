-- The id a rejected record would have as a call (its own id, else the hash of its canonical JSON), when it is a
-- well-formed object whose id is usable. A re-read of a record that an older llmlog loaded as a call, and that
-- today's rules reject, is then a duplicate of that call rather than a reject beside it
-- (sql/load/drop_rejects_of_loaded_calls.sql). NULL for every reject kept before this column existed.
-- Added last: the loaders write the columns in table order.
ALTER TABLE rejects ADD COLUMN call_id TEXT;
