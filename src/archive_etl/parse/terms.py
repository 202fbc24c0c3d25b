"""The search index's share of the token pass: each paragraph's folded tokens and pairs, counted.

A word is folded (case, tone-mark style, diacritics, 'đ') and cut into tokens, runs of letters
and digits, once per distinct word of the batch: so a Vietnamese syllable is a token and so is
each part of a number or a code ("15-NQ/TU" is 15, nq, tu, in that order). The index holds every
token (a *syllable*) and every pair of adjacent tokens of a paragraph (a *pair*, "giai phong").
Here a batch's syllables are numbered in sorted order (`terms`, local to the batch) and each
paragraph gets its tokens as those numbers (`index`); the database stage maps them to the
archive's own numbering and makes the pairs and the postings (database/search.py).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl
import pyarrow as pa

from archive_etl.parse.tokens import Tokens

# A token: a run of letters and digits. The same pattern, in RE2, cuts the query in SQL.
TOKEN = r"[\p{L}\p{N}]+"


def _fold_table() -> dict[str, str]:
    """Each lowercase character below U+3000 that folding changes, to its fold: the marks of
    its decomposition dropped (as DuckDB's strip_accents drops Unicode's Mn, Mc and Me), đ to d.
    Marks standing alone fold to nothing."""
    table = {"đ": "d"}
    for cp in range(0x80, 0x3000):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) not in _MARKS)
        if ch == ch.lower() and base != ch:
            table[ch] = base
    return table


# Unicode's mark categories: non-spacing, spacing and enclosing.
_MARKS = ("Mn", "Mc", "Me")
_FOLD = _fold_table()


def fold_for_search(text: pl.Expr) -> pl.Expr:
    """The Polars twin of the SQL macro `vn_fold` (sql/00_functions.sql), for NFC text.

    Folding in Polars takes a fraction of what DuckDB's strip_accents and nfc_normalize take,
    so the index is folded here; the tests hold both equal.
    """
    return text.str.to_lowercase().str.replace_many(_FOLD)


TEXT_KEY = ("key1", "key2")


def text_key(text: pl.Expr) -> dict[str, pl.Expr]:
    """A paragraph text's key for the index, which holds each distinct text once: two 64-bit
    hashes (a collision of both among a billion texts is about 1 in 10^19)."""
    return dict(zip(TEXT_KEY, (text.hash(seed=1), text.hash(seed=2)), strict=True))


def index_terms(tokens: Tokens) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The batch's syllables (`term`, numbered by row in sorted order) and, for each distinct
    paragraph text (`key1`, `key2`: `text_key`), its tokens in reading order as those numbers
    (`tokens`).

    Pairs and counts are left to the database stage, which sorts every posting by term anyway:
    counting them here would sort them twice."""
    folded = tokens.vocab.select("wid", term=fold_for_search(pl.col("word")).str.extract_all(TOKEN))
    occurring = folded.explode("term").drop_nulls("term")
    terms = occurring.select(pl.col("term").unique().sort())
    numbered = occurring.join(terms.with_row_index("tid"), on="term", maintain_order="left").select(
        "wid", "tid"
    )
    # Each word's tokens in order: most words have one, a code or a number several.
    per_word = numbered.group_by("wid", maintain_order=True).agg("tid")
    lookup = tokens.vocab.select("wid").join(per_word, on="wid", how="left", maintain_order="left")["tid"]
    occurrences = (
        tokens.words.select("_para", tid=pl.lit(lookup).gather(pl.col("wid")))
        .explode("tid")
        .drop_nulls("tid")
    )
    # Tokens come in paragraph order: each paragraph's list is a slice of them, cut by offsets.
    counts = np.bincount(occurrences["_para"].to_numpy(), minlength=tokens.paragraphs.height)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    values = occurrences["tid"].to_arrow()
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), values)
    index = tokens.paragraphs.select(**text_key(pl.col("text"))).with_columns(
        tokens=pl.Series(lists).cast(pl.List(pl.UInt32))
    )
    return terms, index.unique(list(TEXT_KEY), keep="first", maintain_order=True)
