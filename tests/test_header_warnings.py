"""A header date, time or view count that cannot be read is null with a warning, never a crash
or a wrong value ("31/02/2021", "25:61", "Lượt xem: abc")."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pipelines.defs.checks import article_warnings
from pipelines.defs.resources import ArchivePaths

from archive_etl.build import build
from archive_etl.database.store import connect
from archive_etl.parse.articles import MAX_YEAR, MIN_YEAR
from archive_etl.parse.texts import parse_texts
from archive_etl.schema import MAX_VIEW_COUNT
from conftest import SEEDS, run

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BODY = "Sáng 14/12, Quận ủy tổ chức hội nghị với sự tham dự của 120 đại biểu."
DATE_LEFT_NULL = ": published_at left null"
VIEWS_LEFT_NULL = ": view_count left null"


def page_a(dateline: str) -> str:
    """A format A page around `dateline`, as the seeds are laid out."""
    return f"Tin tức - Sự kiện nổi bật\n\nHội nghị sơ kết giữa nhiệm kỳ\n{dateline}\n{BODY}\n"


def page_b(stamp: str) -> str:
    """A format B page whose title ends in `stamp`."""
    return f"Đưa Nghị quyết vào cuộc sống:\n\nQuận Long Biên: nhiều giải pháp {stamp}\nHNP - {BODY}\n"


# file name -> (page, published_at, view_count, warning)
CASES: dict[str, tuple[str, datetime | None, int | None, str | None]] = {
    "bad_day.txt": (
        page_a("Ngày đăng 31/02/2021 | 16:30  | Lượt xem: 1580"),
        None,
        1580,
        "published date '31/02/2021' is not a real date" + DATE_LEFT_NULL,
    ),
    "bad_time.txt": (
        page_a("Ngày đăng 14/12/2021 | 25:61  | Lượt xem: 1580"),
        None,
        1580,
        "time '25:61' is not a valid time of day" + DATE_LEFT_NULL,
    ),
    "bad_views.txt": (
        page_a("Ngày đăng 14/12/2021 | 16:30  | Lượt xem: abc"),
        datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        None,
        "view count 'abc' is not a number" + VIEWS_LEFT_NULL,
    ),
    "all_bad.txt": (
        page_a("Ngày đăng 31/02/2021 | 25:61 | Lượt xem: abc"),
        None,
        None,
        "published date '31/02/2021' is not a real date and time '25:61' is not a valid time of day"
        + DATE_LEFT_NULL
        + "; view count 'abc' is not a number"
        + VIEWS_LEFT_NULL,
    ),
    "not_leap.txt": (
        page_a("Ngày đăng 29/02/2023 | 09:24  | Lượt xem: 370"),
        None,
        370,
        "published date '29/02/2023' is not a real date" + DATE_LEFT_NULL,
    ),
    "not_leap_century.txt": (
        page_a("Ngày đăng 29/02/1900 | 09:24"),
        None,
        None,
        "published date '29/02/1900' is not a real date" + DATE_LEFT_NULL,
    ),
    "day_zero.txt": (
        page_a("Ngày đăng 00/12/2021 | 16:30"),
        None,
        None,
        "published date '00/12/2021' is not a real date" + DATE_LEFT_NULL,
    ),
    "month_13.txt": (
        page_a("Ngày đăng 14/13/2021 | 16:30"),
        None,
        None,
        "published date '14/13/2021' is not a real date" + DATE_LEFT_NULL,
    ),
    "year_0000.txt": (
        page_a("Ngày đăng 14/12/0000 | 16:30"),
        None,
        None,
        f"published date '14/12/0000' has an implausible year (not {MIN_YEAR}-{MAX_YEAR})" + DATE_LEFT_NULL,
    ),
    "year_9999.txt": (
        page_a("Ngày đăng 14/12/9999 | 16:30"),
        None,
        None,
        f"published date '14/12/9999' has an implausible year (not {MIN_YEAR}-{MAX_YEAR})" + DATE_LEFT_NULL,
    ),
    "hour_24.txt": (
        page_a("Ngày đăng 14/12/2021 | 24:00"),
        None,
        None,
        "time '24:00' is not a valid time of day" + DATE_LEFT_NULL,
    ),
    "time_16h30.txt": (
        page_a("Ngày đăng 14/12/2021 | 16h30"),
        None,
        None,
        "time '16h30' is not a time in the form HH:MM" + DATE_LEFT_NULL,
    ),
    "two_digit_year.txt": (
        page_a("Ngày đăng 14/12/21 | 16:30"),
        None,
        None,
        "published date '14/12/21' is not a date in the form DD/MM/YYYY" + DATE_LEFT_NULL,
    ),
    "clocks_skipped.txt": (
        # Hanoi's clocks went from 23:00 on 31/12/1942 straight to 00:00 (UTC+7 to UTC+8).
        page_a("Ngày đăng 31/12/1942 | 23:30"),
        None,
        None,
        "'31/12/1942 23:30' is a local time Hanoi's clock changes skipped or repeated" + DATE_LEFT_NULL,
    ),
    "negative_views.txt": (
        page_a("Ngày đăng 14/12/2021 | 16:30  | Lượt xem: -5"),
        datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        None,
        "view count '-5' is negative" + VIEWS_LEFT_NULL,
    ),
    "huge_views.txt": (
        page_a("Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 99999999999999999999"),
        datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        None,
        f"view count '99999999999999999999' is implausibly large (over {MAX_VIEW_COUNT:,})" + VIEWS_LEFT_NULL,
    ),
    "int64_overflow.txt": (
        page_a("Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 9223372036854775808"),
        datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        None,
        f"view count '9223372036854775808' is implausibly large (over {MAX_VIEW_COUNT:,})" + VIEWS_LEFT_NULL,
    ),
    "bad_separators.txt": (
        page_a("Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 1.23.4"),
        datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        None,
        "view count '1.23.4' is not a number" + VIEWS_LEFT_NULL,
    ),
    "blank_views.txt": (
        page_a("Ngày đăng 14/12/2021 | 16:30  | Lượt xem:"),
        datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        None,
        "view count is blank" + VIEWS_LEFT_NULL,
    ),
    "bad_stamp_b.txt": (
        page_b("(25:61 31/02/2020)"),
        None,
        None,
        "published date '31/02/2020' is not a real date and time '25:61' is not a valid time of day"
        + DATE_LEFT_NULL,
    ),
    # Valid edge cases: read, no warning.
    "leap_day.txt": (
        page_a("Ngày đăng 29/02/2024 | 10:00  | Lượt xem: 1.234"),
        datetime(2024, 2, 29, 10, 0, tzinfo=HANOI),
        1234,
        None,
    ),
    "leap_century.txt": (
        page_a("Ngày đăng 29/02/2000 | 09:24"),
        datetime(2000, 2, 29, 9, 24, tzinfo=HANOI),
        None,
        None,
    ),
    "comma_thousands.txt": (
        page_a("Ngày đăng 1/2/2020 | 0:05  | Lượt xem: 1,234,567"),
        datetime(2020, 2, 1, 0, 5, tzinfo=HANOI),
        1234567,
        None,
    ),
    "max_views.txt": (
        page_a("Ngày đăng 31/12/2100 | 23:59  | Lượt xem: 10.000.000.000"),
        datetime(2100, 12, 31, 23, 59, tzinfo=HANOI),
        MAX_VIEW_COUNT,
        None,
    ),
    "no_time.txt": (
        page_a("Ngày đăng 14/12/2021 | Lượt xem: 0"),
        datetime(2021, 12, 14, tzinfo=HANOI),
        0,
        None,
    ),
    "no_views.txt": (
        page_a("Ngày đăng: 14/12/2021 | 16:30"),
        datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        None,
        None,
    ),
    "stamp_b.txt": (
        page_b("(12:48 29/11/2020)"),
        datetime(2020, 11, 29, 12, 48, tzinfo=HANOI),
        None,
        None,
    ),
    # Absent is not unreadable: no dateline at all is no warning.
    "no_header.txt": (f"Hội nghị sơ kết giữa nhiệm kỳ\n\n{BODY}\n", None, None, None),
}


@pytest.fixture(scope="module")
def built_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cases")
    (folder / "in").mkdir()
    for name, (page, *_) in CASES.items():
        (folder / "in" / name).write_text(page, encoding="utf-8")
    return build(folder / "in", folder / "pkg").output


@pytest.fixture(scope="module")
def articles(built_cases: Path) -> dict[str, dict]:
    frame = pl.read_parquet(built_cases / "article.parquet")
    return {row["source_file"]: row for row in frame.iter_rows(named=True)}


@pytest.mark.parametrize("name", CASES)
def test_header_value_is_read_or_null_with_a_warning(articles: dict[str, dict], name: str) -> None:
    _, published_at, view_count, warning = CASES[name]
    row = articles[name]
    assert (row["published_at"], row["view_count"], row["warning"]) == (published_at, view_count, warning)


def test_a_dateline_with_bad_values_is_still_the_dateline(built_cases: Path, articles: dict) -> None:
    article_id = articles["all_bad.txt"]["article_id"]
    paragraphs = pl.read_parquet(built_cases / "paragraph.parquet").filter(pl.col("article_id") == article_id)
    assert paragraphs["kind"].to_list() == ["category", "title", "dateline", "lead"]
    assert articles["all_bad.txt"]["header_format"] == "A"
    assert articles["all_bad.txt"]["title"] == "Hội nghị sơ kết giữa nhiệm kỳ"


def test_the_articles_view_shows_the_warning(built_cases: Path) -> None:
    con = connect(built_cases)
    try:
        rows = con.execute(
            "SELECT source_file, warning FROM articles WHERE warning LIKE '%abc%' ORDER BY source_file"
        ).fetchall()
    finally:
        con.close()
    assert [name for name, _ in rows] == ["all_bad.txt", "bad_views.txt"]


def test_the_package_with_warnings_is_still_valid(built_cases: Path) -> None:
    from archive_etl.archive.validate import validate_package

    assert validate_package(built_cases).valid


def test_seeds_have_no_header_warnings(built) -> None:
    assert built.tables.article["warning"].null_count() == built.tables.article.height


def test_article_warnings_check_warns_with_the_count_and_first_rows(built, built_cases: Path) -> None:
    assert article_warnings(ArchivePaths(output_dir=str(built.output))).passed
    result = article_warnings(ArchivePaths(output_dir=str(built_cases)))
    warned = sum(1 for _, _, _, w in CASES.values() if w)
    assert not result.passed and result.severity.value == "WARN"
    assert result.metadata["count"].value == warned
    assert "view count 'abc' is not a number" in result.metadata["first"].value


def test_build_prints_each_warning_and_how_many(corpus: Path, tmp_path: Path) -> None:
    (corpus / "bad.txt").write_text(page_a("Ngày đăng 31/02/2021 | 25:61 | Lượt xem: abc"), encoding="utf-8")
    result = run("build", "--input", str(corpus), "--output", str(tmp_path / "pkg"))
    assert result.returncode == 0, result.stderr
    assert f"warning bad.txt: {CASES['all_bad.txt'][3]}" in result.stderr.splitlines()
    assert result.stdout.rstrip().endswith("; 1 article with header warnings")
    clean = run("build", "--input", str(SEEDS), "--output", str(tmp_path / "seeds"))
    assert "warning" not in clean.stderr
    assert clean.stdout.rstrip().endswith("; 0 articles with header warnings")


def test_build_lists_twenty_warnings_then_says_how_many_more(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(23):
        (corpus / f"{i:02d}.txt").write_text(
            page_a(f"Ngày đăng 14/12/2021 | 16:30 | Lượt xem: x{i}"), encoding="utf-8"
        )
    result = run("build", "--input", str(corpus), "--output", str(tmp_path / "pkg"))
    assert result.returncode == 0, result.stderr
    assert sum(line.startswith("warning ") for line in result.stderr.splitlines()) == 20
    assert "... and 3 more (see article.warning)" in result.stderr
    assert "23 articles with header warnings" in result.stdout


# Dateline-shaped lines of digits, "Ngày đăng d/m/y | H:M  | Lượt xem: v": random digit strings,
# mixed with numbers near the edges of the valid ranges so that real dates come up often.
_DIGITS = "0123456789"


def _number(low: int, high: int, *, padded: bool = False) -> st.SearchStrategy[str]:
    numbers = st.integers(low, high)
    return st.one_of(
        st.text(_DIGITS, max_size=3), numbers.map(str), numbers.map("{:02d}".format if padded else str)
    )


_views = st.one_of(
    st.text(_DIGITS, max_size=21),
    st.integers(0, 2 * MAX_VIEW_COUNT).map(str),
    st.integers(0, 2 * MAX_VIEW_COUNT).map(lambda n: f"{n:,}".replace(",", ".")),
)
_random_lines = st.tuples(
    _number(0, 32, padded=True),
    _number(0, 13, padded=True),
    st.one_of(st.text(_DIGITS, max_size=5), st.integers(MIN_YEAR - 10, MAX_YEAR + 10).map(str)),
    _number(0, 25),
    _number(0, 61, padded=True),
    _views,
)


def _written(moment: datetime, padded: bool, timed: bool, views: str) -> tuple[str, ...]:
    pad = "{:02d}".format if padded else str
    hour, minute = (pad(moment.hour), f"{moment.minute:02d}") if timed else ("", "")
    return (pad(moment.day), pad(moment.month), f"{moment.year:04d}", hour, minute, views)


_real_lines = st.builds(
    _written,
    st.datetimes(datetime(MIN_YEAR - 10, 1, 1), datetime(MAX_YEAR + 10, 12, 31, 23, 59)),
    st.booleans(),
    st.booleans(),
    _views,
)
_datelines = st.one_of(_random_lines, _real_lines)


def _expected_time(d: str, m: str, y: str, hour: str, minute: str) -> datetime | None:
    """The timestamp the digits spell, or None when they spell no real Hanoi time."""
    has_time = bool(hour or minute)
    if not (1 <= len(d) <= 2 and 1 <= len(m) <= 2 and len(y) == 4):
        return None
    if has_time and not (1 <= len(hour) <= 2 and len(minute) == 2):
        return None
    if not MIN_YEAR <= int(y) <= MAX_YEAR:
        return None
    try:
        local = datetime(int(y), int(m), int(d), int(hour or 0), int(minute or 0), tzinfo=HANOI)
    except ValueError:
        return None
    # A local time the clock changes skipped or repeated is no single time.
    return local if local.utcoffset() == local.replace(fold=1).utcoffset() else None


@pytest.mark.parametrize(
    ("written", "count"), [("000000000000", 0), ("00000000001234567", 1234567), ("0580", 580)]
)
def test_leading_zeros_of_a_view_count_do_not_make_it_too_large(written: str, count: int) -> None:
    page = page_a(f"Ngày đăng 14/12/2021 | 16:30  | Lượt xem: {written}")
    fields = parse_texts(pl.DataFrame({"article_id": ["a" * 16], "text": [page]})).article
    assert fields["view_count"].to_list() == [count]
    assert fields["warning"].to_list() == [None]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_datelines, min_size=1, max_size=20))
def test_dateline_digits_never_raise_and_never_give_a_wrong_value(lines: list[tuple[str, ...]]) -> None:
    texts = []
    for d, m, y, hour, minute, views in lines:
        time = f" | {hour}:{minute}" if hour or minute else ""
        texts.append(page_a(f"Ngày đăng {d}/{m}/{y}{time}  | Lượt xem: {views}"))
    frame = pl.DataFrame({"article_id": [f"{i:016x}" for i in range(len(texts))], "text": texts})
    fields = parse_texts(frame).article.sort("article_id")
    for (d, m, y, hour, minute, views), row in zip(lines, fields.iter_rows(named=True), strict=True):
        is_dateline = d != ""  # "Ngày đăng /12/2021" is no dateline: then nothing is read, nothing warned
        warning = row["warning"] or ""
        expected = _expected_time(d, m, y, hour, minute)
        assert row["published_at"] == expected
        if expected is not None:
            assert row["published_at"].replace(tzinfo=None) == expected.replace(tzinfo=None)
        assert (DATE_LEFT_NULL in warning) == (is_dateline and expected is None)
        number = int(views.replace(".", "")) if views else None
        count = number if number is not None and number <= MAX_VIEW_COUNT and is_dateline else None
        assert row["view_count"] == count
        assert (VIEWS_LEFT_NULL in warning) == (is_dateline and count is None)
