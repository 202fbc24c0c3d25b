"""The search index of `archive.duckdb`, made in Polars from the parse's tokens (parse/terms.py).

The index holds every folded token of a paragraph (a *syllable*: "giai") and every pair of
adjacent tokens (a *pair*: "giai phong"); a phrase is in a paragraph when all its syllables and
all its adjacent pairs are. Syllables are numbered in the archive's vocabulary (`term_id`, in
sorted order); a pair's number is made from its syllables' (`pair_id`), so pairs need no
vocabulary of their own: SQL makes the same number from a query's syllables. Postings are
(term_id, doc, w): `doc` numbers a text, `w` is the term-frequency part of its BM25 weight,
quantised to a byte; a doc is a distinct paragraph text (database/index.py). A phrase's
hits rank by BM25 over its pairs, the other hits by BM25 over the syllables. The SQL side is
`search(query)` in sql/50_search.sql.

Everything here is a pure function of frames; database/index.py writes the results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from archive_etl.parse.terms import TOKEN, fold_for_search

__all__ = ["TOKEN", "fold_for_search"]

# BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# The tf part of BM25, tf / (tf + K1 (1 - B + B dl / avgdl)), lies in (0, 1): a byte holds it to
# within 0.2%, and a byte column compresses to a few bits a posting where a float takes 32.
W_SCALE = 255
# The postings of a term in more paragraphs than this are also kept, best first, up to this many
# (package.search_top): a search for the best hits reads those before, and often instead of, all.
TIER = 1000
# A pair's number: its first syllable's number plus one, times this, plus the second's. Every
# pair's number is above every syllable's, and a term's postings sort together.
PAIR_BASE = 1 << 32
SHIFT = 1 << 32

TERM_SCHEMA = {"term": pl.String, "term_id": pl.UInt64}


def pair_id(first: pl.Expr, second: pl.Expr) -> pl.Expr:
    """The term number of the pair of syllables numbered `first` then `second`."""
    return (first.cast(pl.UInt64) + 1) * PAIR_BASE + second.cast(pl.UInt64)


def vocabulary(batches: Iterable[pl.DataFrame], known: pl.DataFrame | None = None) -> pl.DataFrame:
    """The syllables (term, term_id) of `known` with their numbers, and those of `batches` (term)
    not in it, numbered on from its last in sorted order."""
    known = known if known is not None else pl.DataFrame(schema=TERM_SCHEMA)
    seen = pl.concat([b.select("term") for b in batches] or [pl.DataFrame(schema={"term": pl.String})])
    fresh = seen.unique().join(known, on="term", how="anti").sort("term")
    start = int(known["term_id"].max() + 1) if known.height else 0  # type: ignore[operator]
    numbered = fresh.with_columns(term_id=pl.int_range(start, start + pl.len(), dtype=pl.UInt64))
    return pl.concat([known.select(*TERM_SCHEMA), numbered])


def occurrences(
    index: pl.DataFrame, terms: pl.DataFrame, vocabulary: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The lengths in tokens of the texts of `index` (doc, tokens: the parse's numbers of `terms`,
    parse/terms.py), (doc, dl), and an occurrence of a term per row (term_id, doc) for each
    syllable and each pair of adjacent syllables, in doc order. `vocabulary` numbers every
    syllable of `terms`."""
    lengths = index.select("doc", dl=pl.col("tokens").list.len().cast(pl.UInt32))
    # The batch's numbers for its syllables to the archive's.
    local = terms.join(vocabulary, on="term", how="left", maintain_order="left")["term_id"]
    tokens = (
        index.select("doc", "tokens")
        .explode("tokens")
        .drop_nulls("tokens")
        .select("doc", term_id=pl.lit(local).gather(pl.col("tokens")))
    )
    doc, term = pl.col("doc"), pl.col("term_id")
    pairs = tokens.select(term_id=pair_id(term, term.shift(-1)), doc=doc).filter(doc == doc.shift(-1))
    found = pl.concat([tokens.select("term_id", "doc"), pairs]).select(
        pl.col("term_id").cast(pl.UInt64), pl.col("doc").cast(pl.UInt32)
    )
    return lengths, found


@dataclass(frozen=True)
class Weights:
    """What a posting's weight and count read of its doc, by doc from `first`: how many
    paragraphs have its text (`copies`) and BM25's length norm of the text (`norm`), with the
    average paragraph length `avgdl`."""

    copies: pl.Series
    norm: pl.Series
    avgdl: float

    @staticmethod
    def of(
        lengths: pl.DataFrame | None, rows: pl.DataFrame, end: int, avgdl: float | None = None, first: int = 0
    ) -> Weights:
        """From the new docs' lengths (doc, dl), search_doc's rows (doc, ...) and the docs'
        numbers [first, end); `avgdl` over every paragraph unless given (kept by an update)."""
        span = pl.DataFrame({"doc": pl.int_range(first, end, dtype=pl.UInt32, eager=True)})
        copies = span.join(rows.group_by("doc").agg(n=pl.len()), on="doc", how="left", maintain_order="left")
        dl = span.join(lengths, on="doc", how="left", maintain_order="left") if lengths is not None else None
        n = copies["n"].fill_null(0).cast(pl.UInt32)
        length = (
            dl["dl"].fill_null(0).cast(pl.Float64) if dl is not None else pl.Series([0.0] * (end - first))
        )
        if avgdl is None:
            paragraphs = max(int(n.sum()), 1)
            avgdl = max(float((length * n.cast(pl.Float64)).sum()) / paragraphs, 1.0)
        return Weights(n, K1 * (1 - B + B * length / avgdl), avgdl)


def postings(found: pl.DataFrame, norm: pl.Series, first_doc: int = 0) -> pl.DataFrame:
    """(term_id, doc, w) of occurrences (term_id, doc) sorted by term then doc: one row per term
    and doc, `w` the BM25 tf part of how often the term occurs there, with the doc's length norm
    (`norm`, by doc from `first_doc`)."""
    term, doc = pl.col("term_id"), pl.col("doc")
    # A posting starts where the term or the doc changes; its tf is how many rows it runs.
    starts = ((term != term.shift(1)) | (doc != doc.shift(1))).fill_null(True)
    runs = found.with_row_index("_at").filter(starts)
    tf = (pl.col("_at").shift(-1, fill_value=found.height) - pl.col("_at")).cast(pl.Float64)
    w = W_SCALE * tf / (tf + pl.lit(norm).gather(doc - first_doc))
    return runs.select("term_id", "doc", w=w.round().clip(1, W_SCALE).cast(pl.UInt8))


def document_counts(postings: pl.DataFrame, copies: pl.Series, first_doc: int = 0) -> pl.DataFrame:
    """(term_id, df, postings) of `postings` sorted by term: in how many paragraphs each term
    occurs (its docs' copies) and in how many docs."""
    held = postings.select("term_id", n=pl.lit(copies).gather(pl.col("doc") - first_doc))
    return held.group_by("term_id", maintain_order=True).agg(
        df=pl.col("n").sum().cast(pl.UInt32), postings=pl.len().cast(pl.UInt32)
    )


def best_postings(postings: pl.DataFrame) -> pl.DataFrame:
    """The tiers of the terms of `postings` (term_id, doc, w) with more than TIER of them, where
    `postings` holds every posting of its terms: each such term's best TIER postings, by weight
    then the lower doc, in term order and best first (package.search_top). The rank packs
    weight and doc into one integer, as `_RANK` does in index.py's SQL."""
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
