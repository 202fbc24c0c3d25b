-- Layer 2, analytic views on metrics. metrics_by_month, unit_counts and paragraph_kinds are marts
-- (tables made at build time from their SELECT, see 20_articles.sql); metric_facts and ratios are
-- views: every metric already carries its sentence, so they are joins and filters, and a table
-- copy of metric_facts would cost 6 s of a 100,000-article build and 97 MB without making its
-- queries much faster (its sentences zstd-compressed).

CREATE OR REPLACE VIEW metric_facts AS
SELECT m.metric_id, m.article_id, a.title,
       hanoi_time(a.published_at) AS published_local,
       year(hanoi_time(a.published_at)) AS year,
       month(hanoi_time(a.published_at)) AS month,
       m.paragraph_no, p.kind AS paragraph_kind,
       m.raw, m.value, m.denominator, m.unit, m.kind, m.qualifier, m.change, m.subject,
       m.sentence
FROM metrics m
JOIN articles a USING (article_id)
JOIN paragraphs p USING (article_id, paragraph_no);
COMMENT ON VIEW metric_facts IS 'Every metric with its article''s title and date and the sentence it is stated in.';
COMMENT ON COLUMN metric_facts.published_local IS 'Publication time of the article, local time in Hanoi.';
COMMENT ON COLUMN metric_facts.year IS 'Year of publication (Hanoi time).';
COMMENT ON COLUMN metric_facts.month IS 'Month of publication, 1-12 (Hanoi time).';
COMMENT ON COLUMN metric_facts.paragraph_kind IS 'Kind of the paragraph stating the metric.';

-- Not over metric_facts: its join with the paragraphs (for paragraph_kind, which ratios does not
-- show) is most of a query's time, and DuckDB keeps an inner join whose columns are unused
-- (100,000 articles, the 20 smallest ratios: 100 -> 42 ms).
CREATE OR REPLACE VIEW ratios AS
SELECT m.metric_id, m.article_id, a.title, hanoi_time(a.published_at) AS published_local,
       m.raw, m.kind, m.value, m.denominator, m.unit, m.subject,
       CASE m.kind WHEN 'percent' THEN m.value / 100 ELSE m.value / m.denominator END AS share,
       CASE m.kind WHEN 'percent' THEN m.value >= 100 ELSE m.value >= m.denominator END AS complete,
       m.sentence
FROM metrics m
JOIN articles a USING (article_id)
WHERE m.kind = 'percent' OR (m.kind = 'ratio' AND m.denominator > 0);
COMMENT ON VIEW ratios IS 'Percentages and ratios as a share of the whole (101,53 % is 1.0153; 5/16 is 0.3125).';
COMMENT ON COLUMN ratios.share IS 'value / 100 for a percentage, value / denominator for a ratio.';
COMMENT ON COLUMN ratios.complete IS 'True when the share reaches 1 (100 %, 16/16): a target fully met.';

CREATE OR REPLACE TABLE metrics_by_month AS
SELECT year, month, kind, unit, count(*) AS metrics, count(DISTINCT article_id) AS articles,
       sum(value) AS total_value
FROM metric_facts
GROUP BY ALL;
COMMENT ON TABLE metrics_by_month IS 'Metrics by month of publication (Hanoi time), kind and unit.';
COMMENT ON COLUMN metrics_by_month.metrics IS 'Number of metrics.';
COMMENT ON COLUMN metrics_by_month.articles IS 'Articles stating them.';
COMMENT ON COLUMN metrics_by_month.total_value IS 'Sum of their values (meaningful within one unit).';

CREATE OR REPLACE TABLE unit_counts AS
SELECT unit, kind, count(*) AS metrics, count(DISTINCT article_id) AS articles,
       sum(value) AS total_value, median(value) AS median_value
FROM metrics
WHERE unit IS NOT NULL
GROUP BY ALL;
COMMENT ON TABLE unit_counts IS 'Units by how often they are cited: what the archive counts most.';
COMMENT ON COLUMN unit_counts.metrics IS 'Metrics with this unit.';
COMMENT ON COLUMN unit_counts.articles IS 'Articles stating them.';
COMMENT ON COLUMN unit_counts.total_value IS 'Sum of their values.';
COMMENT ON COLUMN unit_counts.median_value IS 'Median of their values.';

-- A mart: it aggregates every paragraph, and the metrics, people and documents of each.
CREATE OR REPLACE TABLE paragraph_kinds AS
WITH kinds AS (
    SELECT kind, count(*) AS paragraphs, count(DISTINCT article_id) AS articles
    FROM paragraphs GROUP BY kind
), metric_kinds AS (
    SELECT p.kind, count(*) AS metrics, count(DISTINCT m.article_id) AS articles_with_metrics
    FROM metrics m JOIN paragraphs p USING (article_id, paragraph_no) GROUP BY p.kind
), person_kinds AS (
    SELECT p.kind, count(*) AS people_named
    FROM persons n JOIN paragraphs p USING (article_id, paragraph_no) GROUP BY p.kind
), document_kinds AS (
    SELECT p.kind, count(*) AS documents_cited
    FROM document_refs d JOIN paragraphs p USING (article_id, paragraph_no) GROUP BY p.kind
)
SELECT kind, paragraphs, articles, coalesce(metrics, 0) AS metrics,
       coalesce(articles_with_metrics, 0) AS articles_with_metrics,
       coalesce(people_named, 0) AS people_named, coalesce(documents_cited, 0) AS documents_cited
FROM kinds
LEFT JOIN metric_kinds USING (kind)
LEFT JOIN person_kinds USING (kind)
LEFT JOIN document_kinds USING (kind);
COMMENT ON TABLE paragraph_kinds IS 'Each kind of paragraph (title, lead, body, caption, ...): how many there are and the metrics, people and documents they hold.';
COMMENT ON COLUMN paragraph_kinds.kind IS 'Paragraph kind.';
COMMENT ON COLUMN paragraph_kinds.paragraphs IS 'Paragraphs of this kind.';
COMMENT ON COLUMN paragraph_kinds.articles IS 'Articles with at least one.';
COMMENT ON COLUMN paragraph_kinds.metrics IS 'Metrics stated in them.';
COMMENT ON COLUMN paragraph_kinds.articles_with_metrics IS 'Articles with a metric in a paragraph of this kind.';
COMMENT ON COLUMN paragraph_kinds.people_named IS 'People named in them (mentions).';
COMMENT ON COLUMN paragraph_kinds.documents_cited IS 'Documents cited in them (citations).';
