"""Every match of a regex in every text, with its offset (the document extractor reads a
citation's number with it), and the id of a row found in a paragraph, vectorised.

Two passes of the regex engine's fast search, no Python loop: `extract_all` gives the matches,
and `replace_all` of the matches by a separator, split on it, gives the text between them. The
lengths of the two, summed in order, give each match's offset. (A tiling `extract_all` of
`.*?(?:P)` gives both at once but runs eight times slower: a leading `.*?` defeats the engine's
literal search.)
"""

from __future__ import annotations

import polars as pl

KEYS = ("article_id", "paragraph_no")
# Stands between matches; a text holding it has it swapped for a character of the same length
# first, so offsets are unchanged.
_SEPARATOR, _STAND_IN = "\uffff", "\ufffe"


def between(text: pl.Expr, pattern: str) -> pl.Expr:
    """The pieces of `text` around the matches of `pattern`, in order: before the first, between
    each two, after the last (one more than the matches). The separator the matches are
    replaced by is swapped out of the text first, for a character of the same length."""
    safe = text.str.replace_all(_SEPARATOR, _STAND_IN, literal=True)
    return safe.str.replace_all(pattern, _SEPARATOR).str.split(_SEPARATOR)


# A sentence ends at '.', '!', '?' or ';' before a space or the end ("5.189" and "98.2%" go on).
_SENTENCE_TAIL = r"((?:[^.!?;]|[.!?;]\S)*)$"
_SENTENCE_HEAD = r"^((?:[^.!?;]|[.!?;]\S)*[.!?;]?)"


def sentence_around(text: pl.Expr) -> pl.Expr:
    """The sentence of `text` around each row's [char_start, char_end): back to the previous
    sentence end and on to the next, as sql/00_functions.sql's `sentence_around` cuts it (the
    tests hold the two equal): the `sentence` of a metric and of a document cited."""
    start, end = pl.col("char_start"), pl.col("char_end")
    before = text.str.slice(0, start).str.extract(_SENTENCE_TAIL, 1)
    after = text.str.slice(end).str.extract(_SENTENCE_HEAD, 1)
    return pl.concat_str(before, text.str.slice(start, end - start), after).str.strip_chars()


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
    matches, pieces = pl.col("match"), pl.col("between")
    found = (
        rows.select(
            *keys,
            match=text.str.extract_all(pattern),
            between=between(pl.col("text"), pattern),
        )
        .filter(matches.list.len() > 0)
        .with_row_index("_text")
        .with_columns(between=pieces.list.head(matches.list.len()))
        .explode("match", "between")
    )
    length = matches.str.len_chars().cast(pl.Int64)
    return found.with_columns(
        char_end=(pieces.str.len_chars().cast(pl.Int64) + length).cum_sum().over("_text")
    ).select(*keys, "match", char_start=pl.col("char_end") - length, char_end="char_end", before="between")
