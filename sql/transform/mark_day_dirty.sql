INSERT INTO dirty_days (day) VALUES (CAST(@day AS DATE));
