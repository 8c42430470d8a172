SELECT count(*) FROM report_dirty_days;
