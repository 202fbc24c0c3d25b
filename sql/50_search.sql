-- Layer 2, search: an inverted index built with the package (src/archive_etl/database/search.py).
-- Text is folded as vn_fold folds it and cut into tokens, runs of letters and digits: a
-- Vietnamese syllable, a number, each part of a code ("15-NQ/TU" is 15, nq, tu). Terms are the
-- tokens and every pair of adjacent tokens ("giai phong"): a paragraph holds a phrase when it
-- holds its syllables and its adjacent pairs. Postings are sorted by term, so a query reads only
-- the row groups of its own terms.

COMMENT ON TABLE package.search_term IS 'Search index: every folded token (syllable, number, part of a code) and every pair of adjacent tokens (''giai phong''), numbered, with the number of paragraphs holding it (df).';
COMMENT ON TABLE package.search_doc IS 'Search index: the paragraphs, numbered (doc) for the postings.';
COMMENT ON TABLE package.search_posting IS 'Search index: which paragraph (doc) holds which term, sorted by term_id; w is the term-frequency part of its BM25 weight times w_scale (0 for pairs).';
COMMENT ON TABLE package.search_stats IS 'Search index: BM25''s constants and the average paragraph length in tokens (avgdl) the weights were computed with.';

-- The tokens of a text, folded: what the index holds and a query looks for.
CREATE OR REPLACE MACRO search_tokens(query) AS regexp_extract_all(vn_fold(query), '[\pL\pN]+');

-- `text` cut to about 160 characters around [pos, pos + n), which is marked between « and ».
CREATE OR REPLACE MACRO search_cut(text, pos, n) AS
    CASE WHEN pos > 60 THEN '…' ELSE '' END
    || substring(text, greatest(pos - 60, 0) + 1, least(pos, 60))
    || '«' || substring(text, pos + 1, n) || '»'
    || substring(text, pos + n + 1, 100)
    || CASE WHEN length(text) > pos + n + 100 THEN '…' ELSE '' END;

-- search('giai phong mat bang'): the `top` paragraphs (100 unless given; top := NULL for all)
-- holding every syllable of the query, whatever the case, Unicode form, tone-mark style or
-- diacritics of either side, best first: those holding the whole phrase, then by BM25 score
-- (rare terms weigh more, short paragraphs more than long; at the cut, equal scores go by the
-- paragraph's place in the index). The snippet is the text around the first occurrence of the
-- phrase, or else of one of its syllables, marked between « and »: found in the folded text,
-- which is as long as the text (NFC text folds letter for letter). Joins to any view on
-- (article_id, paragraph_no).
CREATE OR REPLACE MACRO search(query, top := 100) AS TABLE
WITH q AS (
    SELECT w,
           -- ASCII classes: folded Vietnamese is ASCII, and they compile quickly.
           '\b' || array_to_string(w, '\W+') || '\b' AS phrase_pattern,
           '\b(?:' || array_to_string(w, '|') || ')\b' AS token_pattern
    FROM (SELECT search_tokens(query) AS w)
),
wanted AS (
    SELECT DISTINCT unnest(w) AS term, false AS pair FROM q
    UNION
    SELECT w[i] || ' ' || w[i + 1], true FROM (SELECT w, unnest(range(1, len(w))) AS i FROM q)
),
need AS (SELECT count(*) FILTER (NOT pair) AS syllables, count(*) FILTER (pair) AS pairs FROM wanted),
terms AS (
    SELECT t.term_id, t.df, w.pair,
           ln(1 + ((SELECT count(*) FROM package.search_doc) - t.df + 0.5) / (t.df + 0.5)) AS idf
    FROM package.search_term t JOIN wanted w USING (term)
),
-- Only the paragraphs holding the rarest syllable can hold them all: the postings of the other
-- terms are read for those alone (DuckDB filters the scan by them).
rarest AS (
    SELECT doc FROM package.search_posting
    WHERE term_id = (SELECT term_id FROM terms WHERE NOT pair ORDER BY df, term_id LIMIT 1)
),
hits AS (
    SELECT p.doc, sum(t.idf * p.w) AS weight,
           count(*) FILTER (NOT t.pair) AS syllables, count(*) FILTER (t.pair) AS pairs
    FROM package.search_posting p JOIN terms t USING (term_id)
    WHERE p.doc IN (SELECT doc FROM rarest)
    GROUP BY p.doc
),
ranked AS MATERIALIZED (
    SELECT h.doc, h.pairs = need.pairs AS phrase, h.weight * (s.k1 + 1) / s.w_scale AS score
    FROM hits h, need, package.search_stats s
    WHERE h.syllables = need.syllables
    ORDER BY phrase DESC, score DESC, h.doc
    LIMIT top
),
-- `ranked` and `found` are materialised: otherwise DuckDB 2.0 may fail an internal check (a
-- "dict-surviving join") joining the article titles to many hits.
found AS MATERIALIZED (
    SELECT d.article_id, d.paragraph_no, p.kind, r.phrase, r.score, p.text,
           vn_fold(p.text) AS folded, q.phrase_pattern, q.token_pattern
    FROM ranked r
    JOIN package.search_doc d USING (doc)
    JOIN package.paragraph p USING (article_id, paragraph_no)
    CROSS JOIN q
),
-- Holding a phrase's pairs is not quite holding the phrase ("a b ... b c" holds "a b c"'s
-- pairs): the paragraphs returned are checked against their folded text.
marked AS (
    SELECT * REPLACE (phrase AND regexp_matches(folded, phrase_pattern) AS phrase),
           CASE WHEN regexp_matches(folded, phrase_pattern) THEN phrase_pattern
                ELSE token_pattern END AS pattern
    FROM found
)
SELECT m.article_id, a.title, a.published_at, m.paragraph_no, m.kind, m.phrase,
       round(m.score, 3) AS score,
       search_cut(m.text, length(string_split_regex(m.folded, m.pattern)[1]),
                  length(regexp_extract(m.folded, m.pattern))) AS snippet,
       m.text
FROM marked m
JOIN package.article a USING (article_id)
ORDER BY m.phrase DESC, m.score DESC, a.published_at DESC NULLS LAST, m.article_id, m.paragraph_no;

-- search_paragraphs(query): the same search under its first name, every paragraph found.
CREATE OR REPLACE MACRO search_paragraphs(query) AS TABLE SELECT * FROM search(query, top := NULL);
