DELETE FROM dirty_days;
