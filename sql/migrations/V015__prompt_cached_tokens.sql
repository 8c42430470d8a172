-- Prompt tokens served from the provider's cache (metrics.prompt_cached_tokens in Braintrust exports), so that a
-- call's cost prices them at the table's cached_input_per_1m_usd. NULL for calls that do not say, and for every
-- call loaded before this column existed (their costs, fixed when their day was built, stay as they were).
-- Added last: the loaders write the columns in table order.
ALTER TABLE calls ADD COLUMN prompt_cached_tokens BIGINT;
