-- How many price tables the warehouse holds: with more than one, calls left unpriced by an earlier one may have a
-- price in the table in force (the report then asks sql/report/unpriced_priced_in_force.sql).
SELECT count(*) FROM price_tables
