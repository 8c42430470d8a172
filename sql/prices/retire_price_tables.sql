-- Exactly one price table is in force; the others stay, so old costs can still name their prices.
UPDATE price_tables SET in_force = FALSE WHERE in_force;
