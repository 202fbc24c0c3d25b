-- Layer 2, analytic views on articles and their text. A mart (CREATE OR REPLACE TABLE ... AS)
-- is a table made at build time from its SELECT, which stays its one definition: the build
-- makes the table with the SELECT's columns and fills it with its rows, and an update in place
-- runs the SELECT again for what changed (src/archive_etl/database/store.py).

CREATE OR REPLACE VIEW article_text AS
SELECT a.article_id, a.title, hanoi_time(a.published_at) AS published_local,
       p.paragraph_no, p.kind, p.text
FROM articles a JOIN paragraphs p USING (article_id);
COMMENT ON VIEW article_text IS 'Every paragraph with its article''s title and date; ORDER BY article_id, paragraph_no to read an article in order.';
COMMENT ON COLUMN article_text.published_local IS 'Publication time, local time in Hanoi (no time zone).';

-- A view: an article's running text is read when asked for (a filter on article_id reaches
-- the paragraphs), where a mart would keep a second copy of every article's text.
CREATE OR REPLACE VIEW article_body AS
SELECT a.article_id, a.title, hanoi_time(a.published_at) AS published_local,
       a.author, a.source,
       string_agg(p.text, chr(10) ORDER BY p.paragraph_no)
           FILTER (WHERE p.kind IN ('lead', 'body', 'list_item')) AS body,
       count(*) FILTER (WHERE p.kind IN ('lead', 'body', 'list_item')) AS body_paragraphs,
       count(*) FILTER (WHERE p.kind = 'caption') AS captions
FROM articles a JOIN paragraphs p USING (article_id)
GROUP BY ALL;
COMMENT ON VIEW article_body IS 'One row per article: the running text (lead, body, list items) without header, captions, byline, source lines or page boilerplate.';
COMMENT ON COLUMN article_body.published_local IS 'Publication time, local time in Hanoi (no time zone).';
COMMENT ON COLUMN article_body.body IS 'Lead, body and list-item paragraphs in reading order, one per line.';
COMMENT ON COLUMN article_body.body_paragraphs IS 'Number of paragraphs in body.';
COMMENT ON COLUMN article_body.captions IS 'Number of photo captions left out of body.';

-- A mart: it aggregates every article.
CREATE OR REPLACE TABLE articles_by_month AS
SELECT year(hanoi_time(published_at)) AS year,
       month(hanoi_time(published_at)) AS month,
       count(*) AS articles, sum(metric_count) AS metrics, sum(view_count) AS views
FROM articles
GROUP BY ALL;
COMMENT ON TABLE articles_by_month IS 'Articles, metrics and page views by month of publication (Hanoi time); undated articles under NULL.';
COMMENT ON COLUMN articles_by_month.year IS 'Year of publication (Hanoi time).';
COMMENT ON COLUMN articles_by_month.month IS 'Month of publication, 1-12 (Hanoi time).';
COMMENT ON COLUMN articles_by_month.articles IS 'Articles published that month.';
COMMENT ON COLUMN articles_by_month.metrics IS 'Metrics those articles state.';
COMMENT ON COLUMN articles_by_month.views IS 'Sum of their view counters (where shown).';
