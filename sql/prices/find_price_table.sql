SELECT count(*) FROM price_tables WHERE price_table_sha256 = @price_table_sha256;
