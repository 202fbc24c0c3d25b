"""The search index of `archive.duckdb`, made in Polars: folded syllables and pairs, with postings.

A paragraph's text is folded (case, tone-mark style, diacritics, 'đ') and cut into tokens: runs
of letters and digits, so a Vietnamese syllable is a token and so is each part of a number or a
code ("15-NQ/TU" is 15, nq, tu, in that order). The index holds every token (a *syllable*) and
every pair of adjacent tokens (a *pair*, "giai phong") as terms; a phrase is in a paragraph when
all its syllables and all its adjacent pairs are. Postings are (term_id, doc, w): `doc` numbers a
paragraph, `w` is the term-frequency part of its BM25 weight, quantised to a byte. A phrase's hits
rank by BM25 over its pairs, the other hits by BM25 over the syllables. The SQL side is
`search(query)` in sql/50_search.sql.

Everything here is a pure function of frames; store.py writes the results into the database.
"""

from __future__ import annotations

import unicodedata

import polars as pl

# A token: a run of letters and digits. The same pattern, in RE2, cuts the query in SQL.
TOKEN = r"[\p{L}\p{N}]+"
# BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# The tf part of BM25, tf / (tf + K1 (1 - B + B dl / avgdl)), lies in (0, 1): a byte holds it to
# within 0.2%, and a byte column compresses to a few bits a posting where a float takes 32.
W_SCALE = 255
# The postings of a term in more paragraphs than this are also kept, best first, up to this many
# (package.search_top): a search for the best hits reads those before, and often instead of, all.
TIER = 1000
# Keys of a (term_id, doc) pair packed into one integer: sorting one u64 column is several
# times quicker in Polars than grouping by two columns.
SHIFT = 2**32

TERM_SCHEMA = {"term": pl.String, "term_id": pl.UInt32, "df": pl.UInt32}


def _fold_table() -> dict[str, str]:
    """Lowercase Latin letters with diacritics (Vietnamese included) to their base letter; đ to d."""
    table = {"đ": "d"}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if ch == ch.lower() and base != ch:
            table[ch] = base
    return table


_FOLD = _fold_table()


def fold_for_search(text: pl.Expr) -> pl.Expr:
    """The Polars twin of the SQL macro `vn_fold` (sql/00_functions.sql), for NFC text.

    Folding 200,000 paragraphs takes Polars under a second and DuckDB's strip_accents and
    nfc_normalize several, so the index is folded here; the tests hold both equal.
    """
    return text.str.to_lowercase().str.replace_many(_FOLD)


def tokens(paragraphs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The words of paragraphs (doc, text), split at spaces, (doc, word) in reading order; and
    the folded tokens of each distinct word, (word, term), in order. A token never spans a space,
    so this cuts what cutting the folded text would, and a literal split and a fold of the few
    distinct words cost less than a regex over all of it (a thousand words, a few hundred
    distinct, a paragraph)."""
    words = paragraphs.select("doc", word=pl.col("text").str.split(" ")).explode("word")
    distinct = words.select(pl.col("word").unique())
    folded = distinct.with_columns(term=fold_for_search(pl.col("word")).str.extract_all(TOKEN))
    return words, folded.explode("term").drop_nulls("term")


def new_terms(terms: pl.Series, vocabulary: pl.DataFrame, next_id: int) -> pl.DataFrame:
    """Terms (term, term_id) not yet in the vocabulary, numbered on from `next_id` in sorted order."""
    fresh = terms.unique().sort().to_frame("term").join(vocabulary, on="term", how="anti")
    return fresh.with_columns(
        term_id=pl.int_range(next_id, next_id + fresh.height, dtype=pl.UInt32), df=pl.lit(0, pl.UInt32)
    )


def posting_key(term_id: pl.Expr, doc: pl.Expr) -> pl.Expr:
    """A posting's (term_id, doc) as one integer, in the postings' order."""
    return term_id.cast(pl.UInt64) * SHIFT + doc.cast(pl.UInt64)


def length_norms(ids: pl.DataFrame, avgdl: float) -> tuple[int, pl.Series]:
    """BM25's length normalisation, K1 (1 - B + B dl / avgdl), of each paragraph of tokens
    (doc, term_id) in doc order, from its length dl in tokens: the first doc, and the norms of
    it and of each doc after it. A batch numbers its paragraphs in a run, so a posting finds its
    norm by position (a gather), not by a join."""
    if ids.is_empty():
        return 0, pl.Series(dtype=pl.Float64)
    runs = ids["doc"].rle()
    first = int(runs.struct.field("value")[0])
    span = int(runs.struct.field("value")[-1]) - first + 1
    dl = pl.zeros(span, pl.Int64, eager=True).scatter(
        runs.struct.field("value").cast(pl.Int64) - first, runs.struct.field("len")
    )
    return first, K1 * (1 - B + B * dl / avgdl)


def weighted_postings(occurrences: pl.DataFrame, norms: tuple[int, pl.Series]) -> pl.DataFrame:
    """(term_id, doc, w) of occurrences (doc, term_id), sorted: `w` is the BM25 tf part of the
    term's count in the paragraph, with the paragraph's length norm from `length_norms`."""
    first, norm = norms
    runs = occurrences.select(run=posting_key(pl.col("term_id"), pl.col("doc")).sort().rle()).unnest("run")
    tf, doc = pl.col("len"), (pl.col("value") % SHIFT).cast(pl.UInt32)
    return runs.select(
        term_id=(pl.col("value") // SHIFT).cast(pl.UInt32),
        doc=doc,
        w=(W_SCALE * tf / (tf + pl.lit(norm).gather(doc - first))).round().clip(1, W_SCALE).cast(pl.UInt8),
    )


def best_postings(postings: pl.DataFrame) -> pl.DataFrame:
    """The tiers of the terms of `postings` (term_id, doc, w) with more than TIER of them, where
    `postings` holds every posting of its terms: each such term's best TIER postings, by weight
    then the lower doc, in term order and best first (package.search_top). The rank packs
    weight and doc into one integer, as `_RANK` does in store.py's SQL."""
    rank = (pl.col("w").cast(pl.UInt64) * SHIFT + (SHIFT - 1 - pl.col("doc").cast(pl.UInt64))).alias("rank")
    best = (
        postings.filter(pl.len().over("term_id") > TIER)
        .group_by("term_id")
        .agg(rank.top_k(TIER).sort(descending=True))
        .sort("term_id")
        .explode("rank")
    )
    return best.select(
        "term_id",
        doc=(SHIFT - 1 - pl.col("rank") % SHIFT).cast(pl.UInt32),
        w=(pl.col("rank") // SHIFT).cast(pl.UInt8),
    )


def adjacent_pairs(ids: pl.DataFrame) -> pl.DataFrame:
    """(doc, first, second): the term ids of every two adjacent tokens of a paragraph."""
    return ids.select("doc", first=pl.col("term_id"), second=pl.col("term_id").shift(-1)).filter(
        pl.col("doc") == pl.col("doc").shift(-1)
    )


def pair_key(first: pl.Expr, second: pl.Expr) -> pl.Expr:
    """One integer for a pair of term ids (a join key quicker than the pair's text)."""
    return posting_key(first, second)


def pair_vocabulary(vocabulary: pl.DataFrame) -> pl.DataFrame:
    """(key, term_id) of the pair terms ("a b") of a vocabulary (term, term_id), keyed by pair_key."""
    pairs = vocabulary.filter(pl.col("term").str.contains(" ", literal=True))
    parts = pairs.select("term_id", part=pl.col("term").str.split_exact(" ", 1)).unnest("part")
    single = vocabulary.select("term", "term_id")
    return (
        parts.join(single.rename({"term": "field_0", "term_id": "first"}), on="field_0")
        .join(single.rename({"term": "field_1", "term_id": "second"}), on="field_1")
        .select(key=pair_key(pl.col("first"), pl.col("second")), term_id="term_id")
    )


def count_documents(terms: pl.DataFrame, postings: pl.DataFrame, sign: int = 1) -> pl.DataFrame:
    """Terms (term, term_id, df) with the paragraphs of `postings` (term_id, ...) added to df
    (or taken from it, with sign -1)."""
    counts = postings.group_by("term_id").agg(n=pl.len().cast(pl.Int64))
    return (
        terms.join(counts, on="term_id", how="left", maintain_order="left")
        .with_columns(df=(pl.col("df").cast(pl.Int64) + sign * pl.col("n").fill_null(0)).cast(pl.UInt32))
        .drop("n")
    )


class Vocabulary:
    """The terms met so far (term, term_id, df), growing batch by batch: the one piece of state
    of an index build, kept in the shell's loop."""

    def __init__(self, terms: pl.DataFrame | None = None) -> None:
        self.terms = terms if terms is not None else pl.DataFrame(schema=TERM_SCHEMA)
        self.pairs = pair_vocabulary(self.terms)
        self.next_id = int(self.terms["term_id"].max() or 0) + 1 if self.terms.height else 0

    def _add(self, fresh: pl.DataFrame) -> None:
        self.terms = pl.concat([self.terms, fresh])
        self.next_id += fresh.height

    def postings(self, paragraphs: pl.DataFrame, avgdl: float) -> pl.DataFrame:
        """Postings (term_id, doc, w) of paragraphs (doc, text), sorted; new terms join the vocabulary."""
        words, folded = tokens(paragraphs)
        self._add(new_terms(folded["term"], self.terms, self.next_id))
        word_ids = folded.join(self.terms.select("term", "term_id"), on="term", maintain_order="left")
        # A word of several tokens ("15-NQ/TU") matches several rows: in their order.
        ids = words.join(word_ids, on="word", maintain_order="left_right").select("doc", "term_id")
        pairs = adjacent_pairs(ids).with_columns(key=pair_key(pl.col("first"), pl.col("second")))
        unseen = pairs.select("key", "first", "second").unique("key").join(self.pairs, on="key", how="anti")
        names = self.terms.select("term_id", "term")
        spelled = (
            unseen.join(names.rename({"term_id": "first", "term": "a"}), on="first")
            .join(names.rename({"term_id": "second", "term": "b"}), on="second")
            .sort("key")
            .with_columns(
                term=pl.col("a") + " " + pl.col("b"),
                term_id=pl.int_range(self.next_id, self.next_id + pl.len(), dtype=pl.UInt32),
                df=pl.lit(0, pl.UInt32),
            )
        )
        self._add(spelled.select(*TERM_SCHEMA))
        self.pairs = pl.concat([self.pairs, spelled.select("key", "term_id")])
        pair_ids = pairs.join(self.pairs, on="key").select("doc", "term_id")
        # Syllables and pairs have ids of their own: counted in one sort, they come out in order.
        both = weighted_postings(pl.concat([ids, pair_ids]), length_norms(ids, avgdl))
        self.terms = count_documents(self.terms, both)
        return both
