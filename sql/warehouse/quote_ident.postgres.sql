-- A name as SQL must write it, for the statements a message suggests (CREATE SCHEMA ..., GRANT ... ON SCHEMA ...):
-- quoted when PostgreSQL would fold it or read it as a keyword (user, order), as is otherwise.
SELECT quote_ident(@name);
