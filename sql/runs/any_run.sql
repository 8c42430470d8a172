-- Whether any ingest run is recorded: `llmlog runs` with no open run tells a warehouse no run ever loaded from one whose
-- runs were all completed or resolved.
SELECT EXISTS (SELECT 1 FROM ingest_runs);
