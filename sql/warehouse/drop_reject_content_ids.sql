DROP TABLE reject_content_ids;
