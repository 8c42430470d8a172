-- The other runs that read exactly the bytes of @earlier_run_id, a run this run has just completed, and that nothing
-- has completed yet: a copy in another folder, or a forced re-read, of a file caught while it was still being written
-- (cut short, or a gzip cut inside a member, which fails). Their records are the completed run's, so the whole file
-- completes them too; before, a backup's run stayed listed as missing records for ever (found by probing). Not empty
-- bytes: every empty file has them.
SELECT o.run_id
FROM ingest_runs r
JOIN ingest_runs o
  ON o.file_sha256 = r.file_sha256
 AND o.run_id <> r.run_id
WHERE r.run_id = @earlier_run_id
  AND o.status IN ('partial', 'failed')
  AND o.completed_by_run IS NULL
  AND o.file_size > 0
ORDER BY o.run_id;
