-- Layer 2, analytic views for archivists: what happened to every input file.

CREATE OR REPLACE VIEW source_file_status AS
SELECT status, reason, count(*) AS files, sum(bytes) AS bytes
FROM source_files
GROUP BY ALL;
COMMENT ON VIEW source_file_status IS 'Input files by status (article, duplicate, rejected) and reason.';
COMMENT ON COLUMN source_file_status.files IS 'Number of input files.';
COMMENT ON COLUMN source_file_status.bytes IS 'Their total size in bytes.';
