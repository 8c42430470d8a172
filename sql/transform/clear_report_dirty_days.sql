DELETE FROM report_dirty_days;
