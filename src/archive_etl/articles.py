"""Article header fields, read from classified paragraphs with Polars expressions.

A header value that is there but cannot be read (an impossible date, "Lượt xem: abc") is left
null and said so in `warning`: never a crash, never a guessed value.
"""

from __future__ import annotations

import polars as pl

from archive_etl.layout import DATELINE_A_PREFIX, SOURCE_TAG, TITLE_STAMP_B
from archive_etl.schema import MAX_VIEW_COUNT, TIME_ZONE

# A publication year outside this range is a typo or a CMS placeholder, not a date.
MIN_YEAR, MAX_YEAR = 1900, 2100

# The header's date, time and view count are first taken as written, whatever they hold, and
# read in a second step, so that a value that cannot be read can be quoted in the warning.
# Format A: "Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 1580".
_VIEWS_A = r"(?i)Lượt\s+xem\s*:?\s*(.*?)\s*$"
_VIEWS_TAIL = r"(?i)\|?\s*Lượt\s+xem.*$"
_DATE = r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"
_TIME = r"^(?P<H>\d{1,2}):(?P<M>\d{2})$"
# A count: plain digits, or thousands grouped by '.', ',' or a space ("1.234" is 1234).
_COUNT = r"^(?:\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+)$"
_NEGATIVE = r"^[-−–]\s*\d"
# Longer digit strings exceed MAX_VIEW_COUNT: never cast them (Int64 would overflow).
_COUNT_DIGITS = len(str(MAX_VIEW_COUNT))


def _first_of(kind: str) -> pl.Expr:
    return pl.col("text").filter(pl.col("kind") == kind).first().alias(kind)


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


def _raw_header(is_b: pl.Expr) -> dict[str, pl.Expr]:
    """The date, time and view count of the header exactly as written (null when absent)."""
    stamp = pl.col("title").str.extract_groups(TITLE_STAMP_B).struct
    parts_a = (
        pl.col("dateline").str.replace(DATELINE_A_PREFIX, "").str.replace(_VIEWS_TAIL, "").str.split("|")
    )
    date_a = _blank_to_null(parts_a.list.get(0, null_on_oob=True))
    time_a = _blank_to_null(parts_a.list.get(1, null_on_oob=True))
    return {
        "_date": pl.when(is_b).then(stamp.field("date")).otherwise(date_a),
        "_time": pl.when(is_b).then(stamp.field("time")).otherwise(time_a),
        "_views": pl.when(~is_b).then(pl.col("dateline").str.extract(_VIEWS_A, 1)),
    }


def _read_header() -> dict[str, pl.Expr]:
    """The raw date and time as numbers (null when not of the form) and the view count's digits."""
    date = pl.col("_date").str.extract_groups(_DATE).struct
    time = pl.col("_time").str.extract_groups(_TIME).struct
    views = pl.col("_views")
    return {
        **{f"_{k}": date.field(k).cast(pl.Int64) for k in ("y", "m", "d")},
        **{f"_{k}": time.field(k).cast(pl.Int64) for k in ("H", "M")},
        "_digits": pl.when(views.str.contains(_COUNT)).then(views.str.replace_all(r"[., ]", "")),
    }


def _date_problem() -> pl.Expr:
    """What is wrong with the raw date, in words (null when it was read or is absent)."""
    y, m, d = pl.col("_y"), pl.col("_m"), pl.col("_d")
    return (
        pl.when(pl.col("_date").is_null())
        .then(None)
        .when(y.is_null())
        .then(_says("published date {} is not a date in the form DD/MM/YYYY", "_date"))
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


def published_at() -> pl.Expr:
    """Hanoi-local timestamp of the read date and time; null unless both are valid (time optional)."""
    ok = (pl.col("_date_problem").is_null() & pl.col("_time_problem").is_null()).fill_null(False)
    # Masked before pl.datetime, which raises on an impossible date in any row.
    y, m, d = (pl.when(ok).then(pl.col(k)) for k in ("_y", "_m", "_d"))
    local = pl.datetime(y, m, d, pl.col("_H").fill_null(0), pl.col("_M").fill_null(0))
    # Hanoi moved its clocks between 1911 and 1975: a local time skipped is no time at all, and
    # one that happened twice cannot be placed without guessing.
    return local.dt.replace_time_zone(TIME_ZONE, ambiguous="null", non_existent="null")


def view_count() -> pl.Expr:
    """The view count as written, read; null when absent, not a count, or implausibly large."""
    digits = pl.col("_digits")
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


def article_fields(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per article: header format, category, title, dateline fields, author, source, warning."""
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
    return (
        grouped.with_columns(**_raw_header(is_b))
        .with_columns(**_read_header())
        .with_columns(_date_problem=_date_problem(), _time_problem=_time_problem())
        .with_columns(published_at=published_at(), view_count=view_count())
        .select(
            "article_id",
            "header_format",
            category=pl.when(is_b)
            .then(pl.col("category").str.strip_chars_end(": "))
            .otherwise(pl.col("category")),
            title=pl.when(is_b).then(title.str.replace(TITLE_STAMP_B, "")).otherwise(title),
            published_at="published_at",
            view_count="view_count",
            author=pl.col("byline"),
            source=pl.col("lead").str.extract(SOURCE_TAG, 1),
            warning=header_warning(),
            paragraph_count="paragraph_count",
        )
    )
