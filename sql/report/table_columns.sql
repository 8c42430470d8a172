-- Which columns a table has, so the report can use a mart only when the transform has built it.
SELECT column_name
FROM information_schema.columns
WHERE table_name = @table_name
