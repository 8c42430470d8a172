SELECT price_table_sha256, source_path, price_rows, loaded_at
FROM price_tables
WHERE in_force;
