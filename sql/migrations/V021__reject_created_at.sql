-- The instant a rejected record was created, where its `created` could be read (created_day is its UTC day). A
-- report in another time zone counts a reject on the local day it was created, as it counts calls; with the day
-- alone it could only guess (a UTC day's rejects went to the local day holding its noon). After this file, the
-- migrator reads the instant of every older reject from its raw text, as ingest reads it (RejectCreatedInstants.cs).
-- Added last: the loaders write the columns in table order.
ALTER TABLE rejects ADD COLUMN created_at TIMESTAMP;
