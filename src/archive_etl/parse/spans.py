"""Every match of a regex in every paragraph, with its offset: the shared first step of the
person and document extractors, vectorised over the corpus.

Two passes of the regex engine's fast search, no Python loop: `extract_all` gives the matches,
and `replace_all` of the matches by a separator, split on it, gives the text between them. The
lengths of the two, summed in order, give each match's offset. (A tiling `extract_all` of
`.*?(?:P)` gives both at once but runs eight times slower: a leading `.*?` defeats the engine's
literal search.)
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

KEYS = ("article_id", "paragraph_no")
# Stands between matches; a text holding it has it swapped for a character of the same length
# first, so offsets are unchanged.
_SEPARATOR, _STAND_IN = "\uffff", "\ufffe"


def span_id() -> pl.Expr:
    """The identifier of a row found in a paragraph: article_id, paragraph_no and char_start
    joined by ':' (metric_id, person_id, ref_id)."""
    return pl.format("{}:{}:{}", "article_id", "paragraph_no", "char_start")


def spans(
    paragraphs: pl.LazyFrame,
    pattern: str,
    *,
    prefilter: pl.Expr | None = None,
    keys: tuple[str, ...] = KEYS,
) -> pl.LazyFrame:
    """One row per non-overlapping match of `pattern` in `text`, leftmost first: the `keys`,
    `match`, `char_start`, `char_end` (code points in the text) and `before` (the text between
    the previous match, or the start, and this one).

    `prefilter`, a cheaper test that every text holding a match passes, skips the others.
    `pattern` must not match the empty string."""
    rows = paragraphs.select(*keys, "text")
    if prefilter is not None:
        rows = rows.filter(prefilter)
    text = pl.col("text").str.replace_all(_SEPARATOR, _STAND_IN, literal=True)
    matches, between = pl.col("match"), pl.col("between")
    found = (
        rows.select(
            *keys,
            match=text.str.extract_all(pattern),
            between=text.str.replace_all(pattern, _SEPARATOR).str.split(_SEPARATOR),
        )
        .filter(matches.list.len() > 0)
        .with_row_index("_text")
        .with_columns(between=between.list.head(matches.list.len()))
        .explode("match", "between")
    )
    length = matches.str.len_chars().cast(pl.Int64)
    return found.with_columns(
        char_end=(between.str.len_chars().cast(pl.Int64) + length).cum_sum().over("_text")
    ).select(*keys, "match", char_start=pl.col("char_end") - length, char_end="char_end", before="between")


# Past this many characters a paragraph is read a sentence at a time. Context around a match is
# cut from the paragraph by character offset, which costs the paragraph's length per match: fine
# for news (the longest of 1,287 real pages' paragraphs is 18,522 characters), quadratic for a
# page flattened to one line of megabytes.
LONG_PARAGRAPH = 20_000
_SENTENCE_END = r"([.!?;])(\s)"


def by_sentences(
    extract: Callable[[pl.LazyFrame], pl.LazyFrame], paragraphs: pl.LazyFrame, id_column: str
) -> pl.LazyFrame:
    """`extract` run on `paragraphs`, with every paragraph over `LONG_PARAGRAPH` characters
    handed to it as its sentences: each a paragraph of its own, numbered after the others of its
    article, whose rows are then given back their paragraph, offsets and `id_column`."""
    long = pl.col("text").str.len_chars() > LONG_PARAGRAPH
    if not paragraphs.select(long.any()).collect().item():
        return extract(paragraphs)  # the usual case: no paragraph to cut, nothing to map back
    pieces = (
        paragraphs.select(*KEYS, "text")
        .with_columns(
            text=pl.when(long)
            .then(pl.col("text").str.replace_all(_SENTENCE_END, f"$1$2{_SEPARATOR}").str.split(_SEPARATOR))
            .otherwise(pl.concat_list("text"))
        )
        .with_columns(lengths=pl.col("text").list.eval(pl.element().str.len_chars().cast(pl.Int64)))
        .explode("text", "lengths")
        .with_columns(
            offset=(pl.col("lengths").cum_sum() - pl.col("lengths")).over(KEYS),
            piece_no=pl.int_range(pl.len(), dtype=pl.Int64).over("article_id"),
        )
    )
    found = extract(pieces.select("article_id", "text", paragraph_no="piece_no"))
    back = pieces.select("article_id", "piece_no", "paragraph_no", "offset")
    return (
        found.rename({"paragraph_no": "piece_no"})
        .join(back, on=["article_id", "piece_no"], maintain_order="left")
        .with_columns(pl.col("char_start", "char_end") + pl.col("offset"))
        .with_columns(span_id().alias(id_column))
        .select(found.collect_schema().names())
    )
