-- Layer 2, analytic views on metrics. metrics_by_month and unit_counts are marts (tables made at
-- build time from their SELECT, see 20_articles.sql); metric_facts and ratios are views: every
-- metric already carries its sentence, so they are joins and filters, a table copy of no use.

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

CREATE OR REPLACE VIEW ratios AS
SELECT metric_id, article_id, title, published_local, raw, kind, value, denominator, unit, subject,
       CASE kind WHEN 'percent' THEN value / 100 ELSE value / denominator END AS share,
       CASE kind WHEN 'percent' THEN value >= 100 ELSE value >= denominator END AS complete,
       sentence
FROM metric_facts
WHERE kind = 'percent' OR (kind = 'ratio' AND denominator > 0);
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
