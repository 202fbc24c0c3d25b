"""The five seeds, read as a person reads them: header fields and the kind of every special line."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from archive_etl.build import BuildResult
from archive_etl.build.tables import Tables
from archive_etl.schema import TABLES
from conftest import SEED_COUNTS, SEED_ROWS, paragraphs_of_seed

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

EXPECTED = {
    "000": dict(
        header_format="A",
        category="Tin tức - Sự kiện nổi bật",
        title="Hội nghị lần thứ 9 Ban Chấp hành Đảng bộ Quận khóa IV nhiệm kỳ 2020-2025",
        published_at=datetime(2021, 12, 14, 16, 30, tzinfo=HANOI),
        view_count=1580,
        author=None,
        source=None,
    ),
    "001": dict(
        header_format="A",
        category="công tác đảng",
        title="Đảng ủy phường Sài Đồng tổ chức Hội nghị sơ kết giữa nhiệm kỳ 2020-2025",
        published_at=datetime(2023, 2, 20, 9, 24, tzinfo=HANOI),
        view_count=370,
        author=None,
        source=None,
    ),
    "002": dict(
        header_format="B",
        category="Đưa Nghị quyết Đại hội lần thứ XVII Đảng bộ thành phố Hà Nội vào cuộc sống",
        title=(
            "Quận Long Biên: Nhiều giải pháp thiết thực đưa Nghị quyết Đại hội Đảng bộ quận vào cuộc sống"
        ),
        published_at=datetime(2020, 11, 29, 12, 48, tzinfo=HANOI),
        view_count=None,
        author="Nhật Minh",
        source="HNP",
    ),
    "003": dict(
        header_format="A",
        category="Tin tức - Sự kiện nổi bật",
        title=(
            "Quận ủy Long Biên sơ kết thực hiện Nghị quyết số 15-NQ/TU và Chỉ thị số 15-CT/TU "
            "của Ban Thường vụ Thành ủy"
        ),
        published_at=datetime(2022, 9, 8, 13, 50, tzinfo=HANOI),
        view_count=4473,
        author=None,
        source=None,
    ),
    "004": dict(
        header_format="A",
        category="Tin tức - Sự kiện nổi bật",
        title=(
            "Thường vụ Thành ủy làm việc với Ban Thường vụ Quận ủy về công tác chuẩn bị tổ chức "
            "Đại hội Đảng các cấp, nhiệm kỳ 2020-2025"
        ),
        published_at=datetime(2019, 10, 28, 17, 9, tzinfo=HANOI),
        view_count=780,
        author=None,
        source=None,
    ),
}

# Every special line of the seeds, by the start of its text.
SPECIAL_LINES = {
    "000": [
        ("caption", "Đ/c Ngô Mạnh Điềm - Phó Bí thư Thường trực Quận ủy báo cáo"),
        ("caption", "Đ/c Nguyễn Mạnh Hà - Phó Bí thư Quận ủy, Chủ tịch UBND Quận báo cáo"),
        ("caption", "Đ/c Đường Hoài Nam - Thành ủy viên, Bí thư Quận ủy, Chủ tịch HĐND Quận kết luận"),
        ("caption", "Toàn cảnh hội nghị"),
    ],
    "001": [
        ("caption", "Một số ảnh tại Hội nghị:"),
        ("source", "Nguồn: Đ/c Nguyễn Huy Hoàng - Bí thư chi bộ TDP 14"),
    ],
    "002": [
        ("lead", "HNP - Nhận diện rõ những tồn tại"),
        ("caption", "Chủ tịch UBND Quận Nguyễn Mạnh Hà quán triệt Nghị quyết Đại hội"),
        ("byline", "Nhật Minh"),
        ("boilerplate", "Các bài mới đăng"),
        ("boilerplate", "Các bài đã đăng :"),
        ("boilerplate", "Bài viết Xem"),
        ("boilerplate", "Viết bình luận"),
        ("boilerplate", "Họ tên:(*)"),
        ("boilerplate", "Số điện thoại:"),
        ("boilerplate", "Tiêu đề:(*)"),
        ("boilerplate", "Nội dung:(*)"),
        ("boilerplate", "Mã xác nhận: Lấy lại mã bảo mật"),
    ],
    "003": [
        ("lead", "Sáng 08/9/2022, Quận ủy Long Biên tổ chức hội nghị sơ kết"),
        ("caption", "Đ/c Ngô Mạnh Điềm - Phó Bí thư thường trực Quận ủy báo cáo kết quả thực hiện"),
        ("caption", "Đ/c Đường Hoài Nam - TUV, Bí thư Quận ủy, Chủ tịch HĐND Quận kết luận hội nghị"),
    ],
    "004": [("caption", "Toàn cảnh Hội nghị")],
}
# Kinds that only the lines above may have.
SPECIAL_KINDS = {"caption", "byline", "source", "boilerplate"}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_header_fields_are_read_exactly_as_written(seed_tables: Tables, seed: str) -> None:
    row = seed_tables.article.filter(pl.col("source_file").str.starts_with(seed)).row(0, named=True)
    for column, value in EXPECTED[seed].items():
        assert row[column] == value, column


def test_published_at_is_hanoi_local_time(seed_tables: Tables) -> None:
    dtype = seed_tables.article.schema["published_at"]
    assert dtype.time_zone == "Asia/Ho_Chi_Minh"
    utc = seed_tables.article.filter(pl.col("source_file").str.starts_with("000"))["published_at"]
    assert utc.dt.convert_time_zone("UTC").dt.hour().item() == 9  # 16:30 +07 is 09:30 UTC


@pytest.mark.parametrize("seed", sorted(SPECIAL_LINES))
def test_special_lines_have_their_kind(seed_tables: Tables, seed: str) -> None:
    paragraphs = paragraphs_of_seed(seed_tables, seed)
    for kind, start in SPECIAL_LINES[seed]:
        match = paragraphs.filter(pl.col("text").str.starts_with(start))
        assert match.height == 1, start
        assert match["kind"].item() == kind, start


@pytest.mark.parametrize("seed", sorted(SPECIAL_LINES))
def test_no_other_line_is_caption_byline_source_or_boilerplate(seed_tables: Tables, seed: str) -> None:
    paragraphs = paragraphs_of_seed(seed_tables, seed)
    special = paragraphs.filter(pl.col("kind").is_in(SPECIAL_KINDS))["text"].to_list()
    expected = [start for kind, start in SPECIAL_LINES[seed] if kind in SPECIAL_KINDS]
    assert len(special) == len(expected)
    assert all(any(t.startswith(s) for s in expected) for t in special)


def test_every_line_over_200_characters_is_prose(seed_tables: Tables) -> None:
    long = seed_tables.paragraph.filter(pl.col("text").str.len_chars() > 200)
    assert long.height > 30
    assert set(long["kind"].unique()) <= {"body", "lead", "list_item"}


def test_each_article_has_one_title_and_format_a_one_dateline(seed_tables: Tables) -> None:
    counts = seed_tables.paragraph.group_by("article_id").agg(
        titles=(pl.col("kind") == "title").sum(), datelines=(pl.col("kind") == "dateline").sum()
    )
    formats = seed_tables.article.select("article_id", "header_format")
    counts = counts.join(formats, on="article_id")
    assert counts["titles"].to_list() == [1] * 5
    assert counts.filter(pl.col("header_format") == "A")["datelines"].to_list() == [1] * 4


def test_numbered_items_are_list_items(seed_tables: Tables) -> None:
    paragraphs = paragraphs_of_seed(seed_tables, "000")
    items = paragraphs.filter(pl.col("text").str.contains(r"^(\(\d\)|\d\.|-) "))
    assert items.height == 16  # (1)-(6), 1.-3., (1)-(5), two '- '
    assert set(items["kind"]) == {"list_item"}


def test_row_counts_of_the_seeds_in_the_order_a_build_writes_them(seed_tables: Tables) -> None:
    rows = seed_tables.article.select("source_file", "paragraph_count", "metric_count").rows()
    assert [(name, (paragraphs, metrics)) for name, paragraphs, metrics in rows] == list(SEED_COUNTS.items())
    assert {t.name: getattr(seed_tables, t.name).height for t in TABLES} == SEED_ROWS


def test_the_tables_in_memory_are_the_built_package_row_for_row(
    seed_tables: Tables, built: BuildResult
) -> None:
    for table in TABLES:
        assert getattr(seed_tables, table.name).equals(getattr(built.tables, table.name)), table.name
