INSERT INTO price_tables (price_table_sha256, source_path, price_rows, loaded_at, in_force)
VALUES (@price_table_sha256, @source_path, @price_rows, @loaded_at, TRUE);
