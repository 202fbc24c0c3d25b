-- Layer 2, search. The build stores every paragraph's text folded once, in the table
-- package.paragraph_search (article_id, paragraph_no, folded) — folded exactly as vn_fold
-- folds, but by Polars, which does it several times faster — so a search is one scan.

COMMENT ON TABLE package.paragraph_search IS 'Each paragraph''s text folded for search, as vn_fold folds it.';

-- search_paragraphs('giai phong mat bang'): paragraphs containing every word of the query,
-- whatever the case, Unicode form, tone-mark style or diacritics of either side. Ranked: the
-- whole phrase first, then the same diacritics as typed, then titles and leads before body.
CREATE OR REPLACE MACRO search_paragraphs(query) AS TABLE
WITH q AS (
    SELECT vn_fold(query) AS phrase,
           string_split(trim(regexp_replace(vn_fold(query), '\s+', ' ', 'g')), ' ') AS words,
           lower(nfc_normalize(query)) AS exact
)
SELECT p.article_id, a.title, a.published_at, p.paragraph_no, p.kind, p.text,
       10 * contains(s.folded, q.phrase)::INT
       + 5 * contains(lower(p.text), q.exact)::INT
       + CASE p.kind WHEN 'title' THEN 3 WHEN 'lead' THEN 2 WHEN 'body' THEN 1 WHEN 'list_item' THEN 1 ELSE 0 END
       AS score
FROM package.paragraph_search s
CROSS JOIN q
JOIN paragraphs p USING (article_id, paragraph_no)
JOIN articles a USING (article_id)
WHERE list_bool_and(list_transform(q.words, lambda w: contains(s.folded, w)))
ORDER BY score DESC, a.published_at DESC NULLS LAST, p.article_id, p.paragraph_no;
