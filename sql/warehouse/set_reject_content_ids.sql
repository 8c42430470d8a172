-- Keys the rejects gathered in reject_content_ids by their canonical hash (migration V024). As ingest numbers the
-- copies of one record within an input, the k-th reject of the same record (k >= 2, by run and record number) gets
-- '<hash>-k', so every reject kept before keeps its row. First every key to change is moved aside ('~' is no hex
-- digit): on PostgreSQL the primary key is checked row by row, and one reject's new key may be another's old one.
UPDATE rejects SET record_id = '~' || rejects.record_id
FROM reject_content_ids AS t
WHERE t.record_id = rejects.record_id;

UPDATE rejects SET record_id = n.new_id
FROM (
  SELECT numbered.record_id,
    CASE WHEN numbered.copy = 1 THEN numbered.content_id ELSE numbered.content_id || '-' || CAST(numbered.copy AS TEXT) END AS new_id
  FROM (
    SELECT t.record_id, t.content_id, row_number() OVER (PARTITION BY t.content_id ORDER BY r.run_id, r.record_number) AS copy
    FROM reject_content_ids AS t
    JOIN rejects AS r ON r.record_id = '~' || t.record_id
  ) AS numbered
) AS n
WHERE rejects.record_id = '~' || n.record_id;
