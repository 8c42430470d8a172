SELECT count(*) FROM price_tables;
