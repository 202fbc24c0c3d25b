"""Article header fields, read from classified paragraphs with Polars expressions."""

from __future__ import annotations

import polars as pl

from archive_etl.layout import SOURCE_TAG, TITLE_STAMP_B
from archive_etl.schema import TIME_ZONE

# "14/12/2021 | 16:30" (format A dateline)
_DATE_TIME_A = r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?:\s*\|\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?"
# "(12:48 29/11/2020)" (format B title stamp)
_TIME_DATE_B = r"\(\s*(?P<H>\d{1,2}):(?P<M>\d{2})\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\s*\)$"
# Digits with optional thousands separators only: "Lượt xem: abc" gives null, not 0.
_VIEW_COUNT = r"Lượt\s+xem\s*:\s*(\d[\d.,]*)\s*$"


def _first_of(kind: str) -> pl.Expr:
    return pl.col("text").filter(pl.col("kind") == kind).first().alias(kind)


def local_datetime(parts: pl.Expr) -> pl.Expr:
    """A struct of d/m/y/H/M strings to a Hanoi-local timestamp; impossible dates become null."""
    field = parts.struct.field
    stamp = pl.format(
        "{}-{}-{} {}:{}",
        field("y"),
        field("m").str.zfill(2),
        field("d").str.zfill(2),
        field("H").fill_null("0").str.zfill(2),
        field("M").fill_null("00"),
    )
    return stamp.str.to_datetime("%Y-%m-%d %H:%M", strict=False).dt.replace_time_zone(TIME_ZONE)


def article_fields(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per article: header format, category, title, dateline fields, author, source."""
    grouped = paragraphs.group_by("article_id").agg(
        pl.col("header_format").first(),
        _first_of("category"),
        _first_of("title"),
        _first_of("dateline"),
        _first_of("lead"),
        _first_of("byline"),
        paragraph_count=pl.len().cast(pl.Int64),
    )
    is_b = pl.col("header_format") == "B"
    title = pl.col("title")
    published = (
        pl.when(is_b)
        .then(local_datetime(title.str.extract_groups(_TIME_DATE_B)))
        .otherwise(local_datetime(pl.col("dateline").str.extract_groups(_DATE_TIME_A)))
    )
    return grouped.select(
        "article_id",
        "header_format",
        category=pl.when(is_b)
        .then(pl.col("category").str.strip_chars_end(": "))
        .otherwise(pl.col("category")),
        title=pl.when(is_b).then(title.str.replace(TITLE_STAMP_B, "")).otherwise(title),
        published_at=published,
        view_count=pl.col("dateline")
        .str.extract(_VIEW_COUNT, 1)
        .str.replace_all(r"[.,]", "")
        .cast(pl.Int64, strict=False),
        author=pl.col("byline"),
        source=pl.col("lead").str.extract(SOURCE_TAG, 1),
        paragraph_count="paragraph_count",
    )
