DROP TABLE reject_created_ats;
