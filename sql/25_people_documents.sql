-- Layer 2, who and what: the people named with their roles, and the documents cited, gathered
-- across articles. Both are marts (tables made at build time from their SELECT, see
-- 20_articles.sql): each aggregates a whole table.

CREATE OR REPLACE TABLE people AS
SELECT p.name,
       count(*) AS mentions,
       count(DISTINCT p.article_id) AS articles,
       hanoi_time(min(a.published_at)) AS first_seen,
       hanoi_time(max(a.published_at)) AS last_seen,
       list_sort(list_distinct(flatten(list(p.roles)))) AS roles,
       list_sort(list_distinct(list(p.honorific))) AS honorifics
FROM persons p
JOIN articles a USING (article_id)
GROUP BY p.name;
COMMENT ON TABLE people IS 'Each name as written, across articles: how often and where it is named, when first and last, and every role and honorific written with it.';
COMMENT ON COLUMN people.mentions IS 'Times the name is written with a role or an honorific.';
COMMENT ON COLUMN people.articles IS 'Articles naming them.';
COMMENT ON COLUMN people.first_seen IS 'Publication time (Hanoi) of the first article naming them; null when no article states its date.';
COMMENT ON COLUMN people.last_seen IS 'Publication time (Hanoi) of the last article naming them.';
COMMENT ON COLUMN people.roles IS 'Every role phrase written with the name, as written, distinct and sorted.';
COMMENT ON COLUMN people.honorifics IS 'Every honorific written before the name.';

CREATE OR REPLACE TABLE documents_cited AS
WITH cited AS (
    SELECT d.*, a.published_at,
           -- A number cited after another's noun ("Kế hoạch số 03, 04") is shown with that noun.
           CASE WHEN regexp_matches(d.raw, '^[0-9]') THEN d.doc_type || ' ' || d.raw ELSE d.raw END AS shown,
           -- One document however it is written: its type, number, year and issuer; a law cited
           -- by name, by its name.
           coalesce(d.number || '|' || coalesce(d.year::VARCHAR, '') || '|' || coalesce(d.issuer_code, ''),
                    lower(d.raw)) AS identity
    FROM document_refs d
    JOIN articles a USING (article_id)
)
SELECT mode(shown ORDER BY shown) AS document,
       doc_type, any_value(number) AS number, any_value(year) AS year,
       any_value(issuer_code) AS issuer_code, max(issued_on) AS issued_on,
       count(*) AS citations,
       count(DISTINCT article_id) AS articles,
       hanoi_time(min(published_at)) AS first_cited,
       hanoi_time(max(published_at)) AS last_cited
FROM cited
GROUP BY doc_type, identity;
COMMENT ON TABLE documents_cited IS 'Each document cited (a resolution, decision, directive, law, ...), with how often and in how many articles it is cited, and when first and last.';
COMMENT ON COLUMN documents_cited.document IS 'The citation as most often written, e.g. Nghị quyết số 15-NQ/TU.';
COMMENT ON COLUMN documents_cited.issued_on IS 'The date of issue, where a citation states it.';
COMMENT ON COLUMN documents_cited.citations IS 'Times it is cited.';
COMMENT ON COLUMN documents_cited.articles IS 'Articles citing it.';
COMMENT ON COLUMN documents_cited.first_cited IS 'Publication time (Hanoi) of the first article citing it; null when no article states its date.';
COMMENT ON COLUMN documents_cited.last_cited IS 'Publication time (Hanoi) of the last article citing it.';
