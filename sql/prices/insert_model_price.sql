INSERT INTO model_prices (
  price_table_sha256, line_number, model_match, match_type, input_per_1m_usd, cached_input_per_1m_usd,
  output_per_1m_usd, valid_from, valid_to, source)
VALUES (
  @price_table_sha256, @line_number, @model_match, @match_type, @input_per_1m_usd, @cached_input_per_1m_usd,
  @output_per_1m_usd, CAST(@valid_from AS DATE), CAST(@valid_to AS DATE), @source);
