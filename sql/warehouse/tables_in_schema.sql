-- The tables (and views) in the schema a new warehouse would be created in. Those named as the tables llmlog's
-- migrations create are another application's: CREATE TABLE IF NOT EXISTS would skip them and the migrations would
-- then alter and fill them (WarehouseSchema.RefuseTablesInTheWay).
SELECT table_name
FROM information_schema.tables
WHERE table_schema = current_schema()
ORDER BY table_name;
