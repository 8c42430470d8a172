-- The same bytes loaded again: its rows are already here, it only comes back into force.
UPDATE price_tables SET in_force = TRUE, source_path = @source_path, loaded_at = @loaded_at
WHERE price_table_sha256 = @price_table_sha256;
