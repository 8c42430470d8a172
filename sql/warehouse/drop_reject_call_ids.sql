DROP TABLE reject_call_ids;
