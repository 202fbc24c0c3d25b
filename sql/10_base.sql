-- Layer 1, base views: the package's tables as they are, one view each, typed, nothing derived.
-- The data itself is stored in this database (schema `package`), loaded from the Parquet files
-- at build time, so the views work wherever the file is copied. Column comments come from the
-- one schema definition (src/archive_etl/schema.py) and are added by the build.

CREATE OR REPLACE VIEW source_files AS
SELECT source_file, sha256, bytes, encoding, status, reason, article_id
FROM package.source_file;

CREATE OR REPLACE VIEW articles AS
SELECT article_id, source_file, source_sha256, header_format, category, title, published_at,
       view_count, author, source, url, warning, paragraph_count, metric_count, text
FROM package.article;

CREATE OR REPLACE VIEW paragraphs AS
SELECT article_id, paragraph_no, line_no, kind, text, char_start, char_end
FROM package.paragraph;

CREATE OR REPLACE VIEW metrics AS
SELECT metric_id, article_id, paragraph_no, raw, value, value_high, denominator, unit, kind, qualifier,
       change, subject, char_start, char_end
FROM package.metric;
