-- How many rejected records the warehouse keeps: said when it holds no call, so that a warehouse whose every
-- record failed validation does not read as one nothing was loaded into.
SELECT count(*) FROM rejects WHERE loaded_by_run IS NULL;
