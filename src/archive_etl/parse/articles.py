"""Article header fields, read from classified paragraphs with Polars expressions.

A header value that is there but cannot be read (an impossible date, "Lượt xem: abc") is left
null and said so in `warning`: never a crash, never a guessed value.
"""

from __future__ import annotations

import polars as pl

from archive_etl.parse.layout import (
    DATELINE_A_PREFIX,
    KEY_VALUE,
    LEGAL_DATE,
    LEGAL_DATE_PHRASE,
    NAME,
    PLAIN_FORMATS,
    SOURCE_TAG,
    TITLE_STAMP_B,
)
from archive_etl.schema import MAX_VIEW_COUNT, TIME_ZONE

# A publication year outside this range is a typo or a CMS placeholder, not a date.
MIN_YEAR, MAX_YEAR = 1900, 2100

# The header's date, time and view count are first taken as written, whatever they hold, and
# read in a second step, so that a value that cannot be read can be quoted in the warning.
# Format A: "Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 1580".
_VIEWS_A = r"(?i)Lượt\s+xem\s*:?\s*(.*?)\s*$"
_VIEWS_TAIL = r"(?i)\|?\s*Lượt\s+xem.*$"
# Digits are [0-9], never `\d`: Rust's `\d` matches any script's digits, which cannot be cast.
_DATE = r"^(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})$"
_TIME = r"^(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})$"
# `# date = 20201001`, also "2020-10-01", "2020-10-01 08:30", "01/10/2020".
_KV_DATE = (
    r"^(?P<y>[0-9]{4})[-/.]?(?P<m>[0-9]{2})[-/.]?(?P<d>[0-9]{2})"
    r"(?:[T ]+(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::[0-9]{2})?)?$"
)
_KV_DATE_DMY = (
    r"^(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})(?:\s+(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2}))?$"
)
# Keys of `# key = value` lines read into article columns (lowercase); other keys stay in
# the paragraph table only.
_KV_KEYS = {
    "title": ("title",),
    "url": ("url", "link", "source_url"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "datetime"),
    "author": ("author", "byline"),
    "category": ("category", "section"),
}
# How each format writes its date, for the warning when it cannot be read.
_DATE_FORMS = {"A": "DD/MM/YYYY", "B": "DD/MM/YYYY", "legal": "ngày D tháng M năm YYYY"}
# A count: plain digits, or thousands grouped by '.', ',' or a space ("1.234" is 1234).
_COUNT = r"^(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+)$"
_NEGATIVE = r"^[-−–]\s*[0-9]"
# Longer digit strings exceed MAX_VIEW_COUNT: never cast them (Int64 would overflow).
_COUNT_DIGITS = len(str(MAX_VIEW_COUNT))


def _first_of(kind: str) -> pl.Expr:
    return pl.col("text").filter(pl.col("kind") == kind).first().alias(kind)


def _header_value(names: tuple[str, ...]) -> pl.Expr:
    """The first `# key = value` value under one of `names` (null when none or blank)."""
    kv = pl.col("text").str.extract_groups(KEY_VALUE).struct
    wanted = (pl.col("kind") == "header") & kv.field("key").str.to_lowercase().is_in(list(names))
    return _blank_to_null(kv.field("value").filter(wanted).first())


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    expr = expr.str.strip_chars()
    return pl.when(expr.str.len_chars() > 0).then(expr)


def _days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return (
        pl.when(month == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )


def _says(template: str, raw: str) -> pl.Expr:
    """`template` with `{}` replaced by the raw value, quoted as written."""
    return pl.format(template.replace("{}", "'{}'"), pl.col(raw))


def _raw_header(fmt: pl.Expr) -> dict[str, pl.Expr]:
    """The date, time and view count of the header exactly as written (null when absent)."""
    stamp = pl.col("_title_line").str.extract_groups(TITLE_STAMP_B).struct
    parts_a = (
        pl.col("dateline").str.replace(DATELINE_A_PREFIX, "").str.replace(_VIEWS_TAIL, "").str.split("|")
    )
    date_a = _blank_to_null(parts_a.list.get(0, null_on_oob=True))
    time_a = _blank_to_null(parts_a.list.get(1, null_on_oob=True))
    return {
        "_date": pl.when(fmt == "A")
        .then(date_a)
        .when(fmt == "B")
        .then(stamp.field("date"))
        .when(fmt == "legal")
        .then(pl.col("_legal_date"))
        .otherwise(pl.col("_kv_date")),
        "_time": pl.when(fmt == "A").then(time_a).when(fmt == "B").then(stamp.field("time")),
        "_views": pl.when(fmt == "A").then(pl.col("dateline").str.extract(_VIEWS_A, 1)),
    }


def _read_header(fmt: pl.Expr) -> dict[str, pl.Expr]:
    """The raw date and time as numbers (null when not of the form) and the view count's digits."""
    news = pl.col("_date").str.extract_groups(_DATE).struct
    legal = pl.col("_date").str.extract_groups(LEGAL_DATE).struct
    iso = pl.col("_date").str.extract_groups(_KV_DATE).struct
    dmy = pl.col("_date").str.extract_groups(_KV_DATE_DMY).struct
    time = pl.col("_time").str.extract_groups(_TIME).struct

    def number(k: str) -> pl.Expr:
        on_date = k in ("y", "m", "d")
        return (
            pl.when(fmt.is_in(["A", "B"]))
            .then(news.field(k) if on_date else time.field(k))
            .when(fmt == "legal")
            .then(legal.field(k) if on_date else None)
            .otherwise(pl.coalesce(iso.field(k), dmy.field(k)))
            .cast(pl.Int64, strict=False)
        )

    views = pl.col("_views")
    return {
        **{f"_{k}": number(k) for k in ("y", "m", "d", "H", "M")},
        "_digits": pl.when(views.str.contains(_COUNT)).then(views.str.replace_all(r"[., ]", "")),
    }


def _date_problem() -> pl.Expr:
    """What is wrong with the raw date, in words (null when it was read or is absent)."""
    y, m, d = pl.col("_y"), pl.col("_m"), pl.col("_d")
    return (
        pl.when(pl.col("_date").is_null())
        .then(None)
        .when(y.is_null())
        .then(
            pl.format(
                "published date '{}' is not a date in the form {}",
                "_date",
                pl.col("header_format").replace_strict(
                    _DATE_FORMS, default="YYYYMMDD", return_dtype=pl.String
                ),
            )
        )
        .when(~(m.is_between(1, 12) & d.is_between(1, _days_in_month(y, m))))
        .then(_says("published date {} is not a real date", "_date"))
        .when(~y.is_between(MIN_YEAR, MAX_YEAR))
        .then(_says(f"published date {{}} has an implausible year (not {MIN_YEAR}-{MAX_YEAR})", "_date"))
    )


def _time_problem() -> pl.Expr:
    """What is wrong with the raw time, in words (null when it was read or is absent)."""
    return (
        pl.when(pl.col("_time").is_null())
        .then(None)
        .when(pl.col("_H").is_null())
        .then(_says("time {} is not a time in the form HH:MM", "_time"))
        .when(~(pl.col("_H").is_between(0, 23) & pl.col("_M").is_between(0, 59)))
        .then(_says("time {} is not a valid time of day", "_time"))
    )


def published_at(
    year: pl.Expr, month: pl.Expr, day: pl.Expr, hour: pl.Expr, minute: pl.Expr, readable: pl.Expr
) -> pl.Expr:
    """Hanoi-local timestamp of a date and time read from a header; null unless `readable` (the
    date and time, if any, are real ones); midnight when no time is given."""
    ok = readable.fill_null(False)
    # Masked before pl.datetime, which raises on an impossible date in any row.
    y, m, d = (pl.when(ok).then(part) for part in (year, month, day))
    local = pl.datetime(y, m, d, hour.fill_null(0), minute.fill_null(0))
    # Hanoi moved its clocks between 1911 and 1975: a local time skipped is no time at all, and
    # one that happened twice cannot be placed without guessing.
    return local.dt.replace_time_zone(TIME_ZONE, ambiguous="null", non_existent="null")


def view_count() -> pl.Expr:
    """The view count as written, read; null when absent, not a count, or implausibly large."""
    # Leading zeros ("000000000000") say nothing of the size: they are left out of the length.
    digits = pl.col("_digits").str.strip_chars_start("0").replace("", "0")
    count = pl.when(digits.str.len_chars() <= _COUNT_DIGITS).then(digits).cast(pl.Int64, strict=False)
    return pl.when(count <= MAX_VIEW_COUNT).then(count)


def _published_warning() -> pl.Expr:
    date_problem, time_problem = pl.col("_date_problem"), pl.col("_time_problem")
    unread = date_problem.is_null() & time_problem.is_null() & pl.col("published_at").is_null()
    clocks = pl.when(pl.col("_date").is_not_null() & unread).then(
        pl.format(
            "'{} {}' is a local time Hanoi's clock changes skipped or repeated",
            "_date",
            pl.col("_time").fill_null("00:00"),
        )
    )
    problems = pl.concat_str(date_problem, time_problem, clocks, separator=" and ", ignore_nulls=True)
    return pl.when(problems.str.len_chars() > 0).then(pl.format("{}: published_at left null", problems))


def _view_count_warning() -> pl.Expr:
    raw = pl.col("_views")
    problem = (
        pl.when(raw.is_null() | pl.col("view_count").is_not_null())
        .then(None)
        .when(raw == "")
        .then(pl.lit("view count is blank"))
        .when(raw.str.contains(_NEGATIVE))
        .then(_says("view count {} is negative", "_views"))
        .when(pl.col("_digits").is_not_null())
        .then(_says(f"view count {{}} is implausibly large (over {MAX_VIEW_COUNT:,})", "_views"))
        .otherwise(_says("view count {} is not a number", "_views"))
    )
    return pl.format("{}: view_count left null", problem)


def header_warning() -> pl.Expr:
    """What in the header was there but could not be read, in words; null when all was read."""
    warnings = pl.concat_str(_published_warning(), _view_count_warning(), separator="; ", ignore_nulls=True)
    return pl.when(warnings.str.len_chars() > 0).then(warnings)


def _title() -> pl.Expr:
    """The title paragraphs joined (a legal document's name may run over two lines), with
    format B's stamp dropped; a `# title =` header wins; the first line when there is neither."""
    lines = pl.col("text").filter(pl.col("kind") == "title").str.join(" ")
    is_b = pl.col("header_format").first() == "B"
    lines = pl.when(is_b).then(lines.str.replace(TITLE_STAMP_B, "")).otherwise(lines)
    return pl.coalesce(_header_value(_KV_KEYS["title"]), _blank_to_null(lines), pl.col("text").first())


def _source() -> pl.Expr:
    """Format B's agency tag ("HNP - ..."); on plain pages, the closing source line's name."""
    closing = (
        pl.col("text")
        .filter(pl.col("kind") == "source")
        .last()
        .str.replace(r"(?i)^\(?\s*(?:theo\s+nguồn|theo|nguồn)\s*:?\s*", "")
        .str.strip_chars(" ()")
    )
    lead_tag = pl.col("text").filter(pl.col("kind") == "lead").first().str.extract(SOURCE_TAG, 1)
    fmt = pl.col("header_format").first()  # one value per article, in an aggregation
    return pl.when(fmt == "B").then(lead_tag).when(fmt.is_in(PLAIN_FORMATS)).then(_blank_to_null(closing))


def _author() -> pl.Expr:
    """The byline that is a name (a legal document's signatory rather than their office)."""
    bylines = pl.col("text").filter(pl.col("kind") == "byline")
    return pl.coalesce(bylines.filter(bylines.str.contains(NAME)).first(), bylines.first())


def article_fields(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per article: header format, category, title, dates, url, author, source, warning."""
    grouped = paragraphs.group_by("article_id").agg(
        pl.col("header_format").first(),
        _first_of("dateline"),
        _title_line=_first_of("title"),
        title=_title(),
        category=pl.coalesce(_header_value(_KV_KEYS["category"]), _first_of("category")),
        url=_header_value(_KV_KEYS["url"]),
        author=pl.coalesce(_header_value(_KV_KEYS["author"]), _author()),
        source=_source(),
        _kv_date=_header_value(_KV_KEYS["date"]),
        _legal_date=pl.col("text")
        .filter(pl.col("kind") == "dateline")
        .str.extract(LEGAL_DATE_PHRASE, 0)
        .drop_nulls()
        .first(),
        paragraph_count=pl.len().cast(pl.Int64),
    )
    fmt = pl.col("header_format")
    return (
        grouped.with_columns(**_raw_header(fmt))
        .with_columns(**_read_header(fmt))
        .with_columns(_date_problem=_date_problem(), _time_problem=_time_problem())
        .with_columns(
            published_at=published_at(
                *(pl.col(k) for k in ("_y", "_m", "_d", "_H", "_M")),
                readable=pl.col("_date_problem").is_null() & pl.col("_time_problem").is_null(),
            ),
            view_count=view_count(),
        )
        .select(
            "article_id",
            "header_format",
            category=pl.when(fmt == "B")
            .then(pl.col("category").str.strip_chars_end(": "))
            .otherwise("category"),
            title="title",
            published_at="published_at",
            view_count="view_count",
            author="author",
            source="source",
            url="url",
            warning=header_warning(),
            paragraph_count="paragraph_count",
        )
    )
