-- What the settle step found about the copies of loaded ids it left out (load/settle_calls.sql).
SELECT * FROM settle_differing;
