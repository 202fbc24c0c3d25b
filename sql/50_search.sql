-- Layer 2, search: an inverted index built with the package (src/archive_etl/database/search.py).
-- Text is folded as vn_fold folds it and cut into tokens, runs of letters and digits: a
-- Vietnamese syllable, a number, each part of a code ("15-NQ/TU" is 15, nq, tu). Terms are the
-- tokens and every pair of adjacent tokens ("giai phong"), which is numbered from its tokens'
-- numbers: a paragraph holds a phrase when it holds its syllables and its adjacent pairs.
-- Postings are sorted by term, so a query reads only the row groups of its own terms.

COMMENT ON TABLE package.search_term IS 'Search index: every folded token (syllable, number, part of a code), numbered in sorted order (term_id), with the number of paragraphs holding it (df) and of docs, its postings.';
COMMENT ON TABLE package.search_pair IS 'Search index: every pair of adjacent tokens (''giai phong''), by its number (term_id: the first token''s term_id plus one, times search_stats.pair_base, plus the second''s), with the number of paragraphs holding it (df) and of docs, its postings.';
COMMENT ON TABLE package.search_doc IS 'Search index: the paragraphs of each doc (a distinct paragraph text, numbered for the postings): a text several paragraphs repeat is one doc.';
COMMENT ON TABLE package.search_text IS 'Search index: each doc''s text by its key (two 64-bit hashes of the text), for an update to find the docs of the texts it meets again.';
COMMENT ON TABLE package.search_posting IS 'Search index: which doc holds which token or pair (term_id), sorted by term_id; w is the term-frequency part of its BM25 weight times w_scale.';
COMMENT ON TABLE package.search_top IS 'Search index: the best postings of every term in more than search_stats.tier paragraphs, as many as tier at most: the first of its postings by w, then doc.';
COMMENT ON TABLE package.search_stats IS 'Search index: BM25''s constants, the average paragraph length in tokens (avgdl) the weights were computed with, the size of a tier of search_top, and the base of the pairs'' numbers.';

-- The tokens of a text, folded: what the index holds and a query looks for.
CREATE OR REPLACE MACRO search_tokens(query) AS regexp_extract_all(vn_fold(query), '[\pL\pN]+');

-- `text` cut to about 160 characters around [pos, pos + n), which is marked between « and ».
CREATE OR REPLACE MACRO search_cut(text, pos, n) AS
    CASE WHEN pos > 60 THEN '…' ELSE '' END
    || substring(text, greatest(pos - 60, 0) + 1, least(pos, 60))
    || '«' || substring(text, pos + 1, n) || '»'
    || substring(text, pos + n + 1, 100)
    || CASE WHEN length(text) > pos + n + 100 THEN '…' ELSE '' END;

-- search_snippet(text, query): `text` cut around the first occurrence of the query's phrase, or
-- else of one of its tokens, as search() cuts its snippets (NULL when neither occurs).
CREATE OR REPLACE MACRO search_snippet(text, query) AS (
    WITH f AS (
        SELECT text AS t, vn_fold(text) AS folded, w,
               '\b' || array_to_string(w, '\W+') || '\b' AS phrase_pattern,
               '\b(?:' || array_to_string(w, '|') || ')\b' AS token_pattern
        FROM (SELECT search_tokens(query) AS w)
    ),
    p AS (SELECT *, CASE WHEN regexp_matches(folded, phrase_pattern) THEN phrase_pattern
                         ELSE token_pattern END AS pattern FROM f)
    SELECT CASE WHEN len(w) > 0 AND regexp_matches(folded, pattern)
                THEN search_cut(t, length(string_split_regex(folded, pattern)[1]), length(regexp_extract(folded, pattern)))
           END
    FROM p
);

-- search('giai phong mat bang'): the `top` paragraphs (100 unless given; top := NULL for all)
-- holding every syllable of the query, whatever the case, Unicode form, tone-mark style or
-- diacritics of either side, best first: those holding the whole phrase (all its adjacent
-- pairs) first, ranked by BM25 over those pairs (over the syllable, for a one-syllable query),
-- then the others by BM25 over the syllables. Rare terms weigh more, and short paragraphs more
-- than long; equal weights go by the text's place in the index (its doc), then by paragraph.
-- The snippet is the text around the first occurrence of the phrase, or else of one of its
-- syllables, marked between « and »: found in the folded text, which is as long as the text
-- (NFC text folds letter for letter). Every hit (top := NULL) comes without its snippet and
-- text, which would cost more to read than the search: join `paragraphs` for the text, and
-- `search_snippet(text, query)` cuts a snippet of the rows kept. Joins to any view on
-- (article_id, paragraph_no). `quick := false` skips the shortcut below and weighs every hit:
-- the same answer, slower (the tests hold the two equal).
CREATE OR REPLACE MACRO search(query, top := 100, quick := true) AS TABLE
WITH q AS (
    SELECT w,
           -- ASCII classes: folded Vietnamese is ASCII, and they compile quickly.
           '\b' || array_to_string(w, '\W+') || '\b' AS phrase_pattern,
           '\b(?:' || array_to_string(w, '|') || ')\b' AS token_pattern
    FROM (SELECT search_tokens(query) AS w)
),
syllables AS (SELECT DISTINCT unnest(w) AS term FROM q),
pairs AS (SELECT DISTINCT w[i] AS a, w[i + 1] AS b FROM (SELECT w, unnest(range(1, len(w))) AS i FROM q)),
-- The terms a phrase hit must hold and is ranked by: the pairs, or a lone syllable.
need AS (
    SELECT (SELECT count(*) FROM syllables) AS syllables, greatest((SELECT count(*) FROM pairs), 1) AS phrase_terms,
           (SELECT count(*) FROM pairs) = 0 AS one_syllable
),
-- The query's syllables the index holds, and the pairs they make, numbered as the index numbers them.
held AS MATERIALIZED (
    SELECT t.term, t.term_id, t.df, t.postings FROM package.search_term t JOIN syllables USING (term)
),
pair_ids AS (
    SELECT (x.term_id + 1) * s.pair_base + y.term_id AS term_id
    FROM pairs JOIN held x ON x.term = pairs.a JOIN held y ON y.term = pairs.b, package.search_stats s
),
known AS (
    SELECT h.term_id, h.df, h.postings, false AS pair FROM held h
    UNION ALL
    SELECT p.term_id, p.df, p.postings, true FROM package.search_pair p WHERE p.term_id IN (SELECT term_id FROM pair_ids)
),
-- idf in thousandths, an integer: weights add up exactly, so that the bound below compares
-- with a paragraph's weight without rounding in the way.
terms AS MATERIALIZED (
    SELECT f.term_id, f.df, f.postings, f.pair, f.pair OR need.one_syllable AS phrase_term,
           round(1000 * ln(1 + ((SELECT count(*) FROM package.search_doc) - f.df + 0.5) / (f.df + 0.5)))::BIGINT AS idf
    FROM known f, need
),
-- The shortcut, a threshold algorithm over docs (distinct paragraph texts). Each phrase term's
-- best postings: all of them for a term in at most `tier` docs, else its first by weight, then
-- doc (package.search_top).
best AS (
    SELECT p.term_id, p.doc, p.w
    FROM package.search_posting p JOIN terms t USING (term_id), package.search_stats s
    WHERE quick AND t.phrase_term AND t.postings <= s.tier
    UNION ALL
    SELECT p.term_id, p.doc, p.w
    FROM package.search_top p JOIN terms t USING (term_id), package.search_stats s
    WHERE quick AND t.phrase_term AND t.postings > s.tier
),
-- A doc among none of them holds each phrase term at most at the weight of the term's
-- last best posting, and at that weight only with a higher doc: it weighs at most `bound`, and
-- weighing that much it comes after `last`. A term whose best postings are all of them leaves
-- no phrase hit out.
bounds AS (
    SELECT coalesce(bool_or(n = postings), false) AS complete, sum(idf * least) AS bound, max(last) AS last
    FROM (
        SELECT any_value(t.postings) AS postings, any_value(t.idf) AS idf, count(*) AS n, min(b.w) AS least,
               arg_min(b.doc, b.w::BIGINT * 4294967296 - b.doc) AS last
        FROM best b JOIN terms t USING (term_id)
        GROUP BY t.term_id
    )
),
-- The docs among the best, weighed in full: every posting of theirs for the phrase terms
-- (DuckDB filters each term's scan by the docs wanted).
quick_hits AS MATERIALIZED (
    SELECT p.doc, sum(t.idf * p.w) AS weight
    FROM package.search_posting p JOIN terms t USING (term_id)
    WHERE t.phrase_term AND p.doc IN (SELECT doc FROM best)
    GROUP BY p.doc
    HAVING count(*) = (SELECT phrase_terms FROM need)
    ORDER BY weight DESC, p.doc
    LIMIT top
),
-- They are the phrase hits when no other doc can outrank the last of them: a phrase term
-- is not in the index (no phrase hit at all), or one has no other posting, or `top` were found
-- and the last outweighs the bound (or equals it with a lower doc).
settled AS MATERIALIZED (
    SELECT quick AND coalesce(
        (SELECT count(*) FROM terms WHERE phrase_term) < need.phrase_terms
        OR b.complete
        OR ((SELECT count(*) FROM quick_hits) = top
            AND (k.weight > b.bound OR (k.weight = b.bound AND k.doc <= b.last))),
        false) AS ok
    FROM need, bounds b
    LEFT JOIN (SELECT * FROM quick_hits ORDER BY weight, doc DESC LIMIT 1) k ON true
),
-- Otherwise every phrase hit is weighed. Only the docs holding the rarest phrase term can
-- hold them all: the postings of the others are read for those alone.
slow_terms AS (SELECT * FROM terms WHERE phrase_term AND NOT (SELECT ok FROM settled)),
slow_hits AS (
    SELECT p.doc, sum(t.idf * p.w) AS weight
    FROM package.search_posting p JOIN slow_terms t USING (term_id)
    WHERE p.doc IN (
        SELECT doc FROM package.search_posting
        WHERE term_id = (SELECT term_id FROM slow_terms ORDER BY postings, term_id LIMIT 1))
    GROUP BY p.doc
    HAVING count(*) = (SELECT phrase_terms FROM need)
    ORDER BY weight DESC, p.doc
    LIMIT top
),
phrase_hits AS MATERIALIZED (
    SELECT * FROM quick_hits WHERE (SELECT ok FROM settled)
    UNION ALL
    SELECT * FROM slow_hits
),
-- Fewer than `top` phrase hits (so all of them are in hand): the paragraphs holding every
-- syllable but not the phrase come next, found from the rarest syllable as above (a doc with
-- many paragraphs may make `top` of them alone: the others then rank after, and are cut).
other_terms AS (
    SELECT * FROM terms
    WHERE NOT pair AND (SELECT NOT one_syllable FROM need)
      AND coalesce((SELECT count(*) FROM phrase_hits) < top, true)
),
other_hits AS (
    SELECT p.doc, sum(t.idf * p.w) AS weight
    FROM package.search_posting p JOIN other_terms t USING (term_id)
    WHERE p.doc IN (
        SELECT doc FROM package.search_posting
        WHERE term_id = (SELECT term_id FROM other_terms ORDER BY postings, term_id LIMIT 1))
      AND p.doc NOT IN (SELECT doc FROM phrase_hits)
    GROUP BY p.doc
    HAVING count(*) = (SELECT syllables FROM need)
),
ranked AS MATERIALIZED (
    SELECT h.doc, h.phrase, h.weight, h.weight * (s.k1 + 1) / (1000 * s.w_scale) AS score
    FROM (
        SELECT doc, true AS phrase, weight FROM phrase_hits
        UNION ALL
        SELECT doc, false, weight FROM other_hits
    ) h, package.search_stats s
    ORDER BY h.phrase DESC, h.weight DESC, h.doc
    LIMIT top
),
-- Each doc's paragraphs, the best `top` of them: a doc's paragraphs share its rank, by paragraph.
hit_keys AS MATERIALIZED (
    SELECT d.doc, d.article_id, d.paragraph_no, d.kind, r.phrase, r.score
    FROM ranked r JOIN package.search_doc d USING (doc)
    ORDER BY r.phrase DESC, r.weight DESC, r.doc, d.article_id, d.paragraph_no
    LIMIT top
),
-- The texts read: each hit doc's for the best `top`, for its snippet and text; for every hit
-- (top := NULL) only those of phrase hits of three syllables or more, whose pairs do not prove
-- the phrase ("a b ... b c" holds "a b c"'s pairs), for DuckDB reads a text slowly and folds it
-- more slowly still. A doc's text is fetched from its first paragraph, by article: a filter on
-- article_id skips the row groups of other articles, where a join would read them all.
read AS (
    SELECT doc, arg_min(article_id, (article_id, paragraph_no)) AS article_id,
           arg_min(paragraph_no, (article_id, paragraph_no)) AS paragraph_no
    FROM hit_keys
    WHERE top IS NOT NULL OR (phrase AND (SELECT syllables FROM need) >= 3)
    GROUP BY doc
),
texts AS MATERIALIZED (
    SELECT r.doc, p.text, vn_fold(p.text) AS folded
    FROM read r JOIN package.paragraph p USING (article_id, paragraph_no)
    WHERE p.article_id IN (SELECT article_id FROM read)
),
marked AS (
    SELECT t.doc, t.text, t.folded, regexp_matches(t.folded, q.phrase_pattern) AS holds,
           CASE WHEN regexp_matches(t.folded, q.phrase_pattern) THEN q.phrase_pattern
                ELSE q.token_pattern END AS pattern
    FROM texts t, q
)
SELECT h.article_id, a.title, a.published_at, h.paragraph_no, h.kind,
       h.phrase AND coalesce(m.holds, true) AS phrase,
       round(h.score, 3) AS score,
       CASE WHEN top IS NOT NULL THEN search_cut(m.text, length(string_split_regex(m.folded, m.pattern)[1]),
                                                 length(regexp_extract(m.folded, m.pattern))) END AS snippet,
       CASE WHEN top IS NOT NULL THEN m.text END AS text
FROM hit_keys h
JOIN package.article a USING (article_id)
LEFT JOIN marked m USING (doc)
ORDER BY phrase DESC, score DESC, a.published_at DESC NULLS LAST, h.article_id, h.paragraph_no;

-- search_paragraphs(query): the same search under its first name, every paragraph found.
CREATE OR REPLACE MACRO search_paragraphs(query) AS TABLE SELECT * FROM search(query, top := NULL);
