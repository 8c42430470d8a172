SELECT count(*) FROM dirty_days;
