"""Page layout: which header an article has, and the `kind` of each paragraph.

Pure Polars: per-paragraph regex flags, then per-article positions found with window
expressions (`.over("article_id")`), then one `when/then` chain. No Python per line.
"""

from __future__ import annotations

import polars as pl

# Headers appear at the top; looking further only invites false matches in the body.
HEADER_WINDOW = 6
# A line this long is prose whatever its punctuation: never a caption, byline or boilerplate.
SHORT_LINE = 200
# Right after the header, an unpunctuated line longer than this is the lead (some sites drop
# the lead's final stop); a shorter one is a photo caption above it.
LEAD_OVER_CAPTION = 120

# Format A: "Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 1580". Any digits after the label make
# the dateline, valid or not ("Ngày đăng 31/02/2021"): reading them is articles.py's job, which
# warns about what it cannot read instead of letting the line fall into the body.
DATELINE_A_PREFIX = r"^Ngày\s+đăng\s*:?\s*"
DATELINE_A = DATELINE_A_PREFIX + r"\d"
# Format B: the title ends in "(12:48 29/11/2020)"; the digits are checked when read, not here.
TITLE_STAMP_B = r"\s*\(\s*(?P<time>\d+:\d+)\s+(?P<date>\d+/\d+/\d+)\s*\)$"
# Format B's lead opens with an agency tag: "HNP - ..."
SOURCE_TAG = r"^(\p{Lu}{2,10})\s+[-–—]\s+"
LIST_ITEM = r"^(?:\(\d{1,3}\)|\(?[a-zđ]\)\s|\d{1,3}[.)](?:\s|$)|[-–—•+*]\s)"
SOURCE_LINE = r"^(?:Nguồn|Theo nguồn)\s*:"
# Where the article ends and the web page's furniture (related links, comment form) begins.
BOILERPLATE_START = (
    r"^(?:Các bài mới đăng|Các bài đã đăng|Bài viết liên quan|Tin liên quan|Tin cùng chuyên mục"
    r"|Tin khác|Viết bình luận|Gửi bình luận|Ý kiến bạn đọc)\b"
)
# Sentences end in punctuation; captions and headings do not.
TERMINAL = r"[.!?;…\"”»'’]$"
PHOTO_WORD = r"(?i)\b(?:ảnh|hình|video|clip)\b"
# A byline is a person's name: two to five capitalised syllables, nothing else.
NAME = r"^\p{Lu}\p{Ll}*(?:\s\p{Lu}\p{Ll}*){1,4}$"
NAME_MAX = 40


def _first_position(condition: pl.Expr) -> pl.Expr:
    """Per article, the first paragraph_no where `condition` holds (null if never)."""
    return pl.when(condition).then(pl.col("paragraph_no")).min().over("article_id")


def classify(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """Add `header_format` and `kind` to paragraphs (`article_id`, `paragraph_no`, `text`)."""
    text = pl.col("text")
    p = pl.col("paragraph_no")
    length = text.str.len_chars()
    top = p <= HEADER_WINDOW

    frame = paragraphs.with_columns(
        _a=_first_position(top & text.str.contains(DATELINE_A)),
        _b=_first_position(top & text.str.contains(TITLE_STAMP_B)),
    ).with_columns(
        header_format=pl.when(pl.col("_a").is_not_null())
        .then(pl.lit("A"))
        .when(pl.col("_b").is_not_null())
        .then(pl.lit("B"))
        .otherwise(pl.lit("none")),
        _header_end=pl.coalesce("_a", "_b", pl.lit(1, pl.Int64)),
    )
    header_end = pl.col("_header_end")
    frame = frame.with_columns(
        _tail=_first_position((p > header_end) & text.str.contains(BOILERPLATE_START)),
    ).with_columns(
        _last_content=pl.coalesce(pl.col("_tail") - 1, p.max().over("article_id")),
    )

    fmt = pl.col("header_format")
    is_list = text.str.contains(LIST_ITEM)
    is_short = length <= SHORT_LINE
    caption_like = (
        is_short
        & ~text.str.contains(TERMINAL)
        & (~text.str.ends_with(":") | text.str.contains(PHOTO_WORD))
        & text.str.contains(r"\s")
    )
    kind = (
        # Header
        pl.when((fmt == "A") & (p == header_end))
        .then(pl.lit("dateline"))
        .when((fmt == "A") & (p == header_end - 1))
        .then(pl.lit("title"))
        .when((fmt == "A") & (p < header_end - 1))
        .then(pl.lit("category"))
        .when((fmt == "B") & (p == header_end))
        .then(pl.lit("title"))
        .when((fmt == "B") & (p < header_end))
        .then(pl.lit("category"))
        .when((fmt == "none") & (p == 1))
        .then(pl.lit("title"))
        # Page furniture after the article
        .when((p >= pl.col("_tail")) & is_short)
        .then(pl.lit("boilerplate"))
        .when(text.str.contains(SOURCE_LINE))
        .then(pl.lit("source"))
        .when((p == pl.col("_last_content")) & text.str.contains(NAME) & (length <= NAME_MAX))
        .then(pl.lit("byline"))
        # Body
        .when(is_list)
        .then(pl.lit("list_item"))
        .when(
            (p == header_end + 1)
            & (text.str.contains(SOURCE_TAG) | ~caption_like | (length > LEAD_OVER_CAPTION))
        )
        .then(pl.lit("lead"))
        .when(caption_like)
        .then(pl.lit("caption"))
        .otherwise(pl.lit("body"))
    )
    return frame.with_columns(kind=kind).drop("_a", "_b", "_header_end", "_tail", "_last_content")
