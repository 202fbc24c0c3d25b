"""Decoded texts to lines to paragraphs, as Polars expressions over the whole corpus."""

from __future__ import annotations

import polars as pl

# Unicode White_Space, spelled out so that Polars (Rust regex) and DuckDB (RE2, whose `\s` is
# ASCII only) fold the same characters; it is also what Polars' `strip_chars()` trims.
WHITE_SPACE = (
    r"[\t\n\x{0B}\x{0C}\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}"
    r"\x{202F}\x{205F}\x{3000}]"
)
_WS = WHITE_SPACE + "+"
# What folding would change: white space other than one space between words.
_UNFOLDED = WHITE_SPACE.replace(" ", "") + r"|  |^ | $"


def fold_whitespace(expr: pl.Expr) -> pl.Expr:
    """Runs of white space to one space, trimmed: how paragraph text is stored."""
    return expr.str.replace_all(_WS, " ").str.strip_chars()


def _sum_before_in_group(values: pl.Expr, key: str) -> pl.Expr:
    """Running total of `values` over the earlier rows of the same group.

    Rows of a group are contiguous, so subtracting the total at the group's first row replaces
    an `over(key)` window, which hashes the (string) key of every row.
    """
    before = values.cum_sum() - values
    first = (pl.col(key) != pl.col(key).shift(1)).fill_null(True)
    return before - pl.when(first).then(before).forward_fill()


def _position_in_group(key: str) -> pl.Expr:
    """0, 1, 2, ... within each group of equal `key` values (contiguous groups)."""
    return _sum_before_in_group(pl.repeat(1, pl.len(), dtype=pl.Int64), key)


def split_lines(texts: pl.LazyFrame) -> pl.LazyFrame:
    """One row per line (`article_id`, `line_no` from 1, `line`, `line_start` offset in the text)."""
    length = pl.col("line").str.len_chars().cast(pl.Int64)
    return (
        texts.select("article_id", pl.col("text").str.split("\n").alias("line"))
        .explode("line")
        .with_columns(
            line_no=_position_in_group("article_id") + 1,
            line_start=_sum_before_in_group(length + 1, "article_id"),
        )
    )


def paragraphs_from_lines(lines: pl.LazyFrame) -> pl.LazyFrame:
    """Keep the non-blank lines; number them and locate their content in the text."""
    line = pl.col("line")
    length = line.str.len_chars().cast(pl.Int64)
    lead_ws = length - line.str.strip_chars_start().str.len_chars().cast(pl.Int64)
    # Folding trims what `strip_chars()` trims, so a line is blank when its folded text is empty.
    # Most lines have nothing to fold: only the others are folded (a regex replace costs five
    # times the search that finds them).
    indexed = lines.with_row_index("_line")
    unfolded = line.str.contains(_UNFOLDED)
    folded = pl.concat(
        [
            indexed.filter(~unfolded).with_columns(text=line),
            indexed.filter(unfolded).with_columns(text=fold_whitespace(line)),
        ]
    ).sort("_line")
    return (
        folded.filter(pl.col("text").str.len_chars() > 0)
        .with_columns(
            paragraph_no=_position_in_group("article_id") + 1,
            char_start=pl.col("line_start") + lead_ws,
            char_end=pl.col("line_start") + line.str.strip_chars_end().str.len_chars().cast(pl.Int64),
        )
        .drop("line", "line_start", "_line")
    )
