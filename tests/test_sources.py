"""Every entry of the input folder is accounted for in source_file, with a status and a reason."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import polars as pl

from archive_etl.build.tables import build_tables
from archive_etl.read.sources import read_sources, scan

SEED = "000_2fba84feb8337456.txt"


def statuses(folder: Path) -> dict[str, tuple[str, str | None]]:
    t = build_tables(read_sources(scan(folder)))
    return {r["source_file"]: (r["status"], r["reason"]) for r in t.source_file.iter_rows(named=True)}


def test_byte_identical_copy_is_a_duplicate_of_the_kept_article(corpus: Path) -> None:
    (corpus / "zz_copy.txt").write_bytes((corpus / SEED).read_bytes())
    t = build_tables(read_sources(scan(corpus)))
    rows = t.source_file.filter(pl.col("source_file").is_in([SEED, "zz_copy.txt"]))
    assert rows["status"].to_list() == ["article", "duplicate"]
    assert rows["article_id"].n_unique() == 1
    assert rows["reason"][1] == f"byte-identical copy of {SEED}"
    assert t.article.height == 5


def test_same_text_in_another_encoding_is_a_duplicate(corpus: Path) -> None:
    text = (corpus / SEED).read_text(encoding="utf-8")
    (corpus / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"))
    status, reason = statuses(corpus)["utf16.txt"]
    assert status == "duplicate"
    assert reason == f"same text as {SEED} once decoded"


def test_bad_files_are_rejected_and_the_rest_still_builds(corpus: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_text("  \n\n  ")
    (corpus / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 50)
    got = statuses(corpus)
    assert got["empty.txt"] == ("rejected", "empty file (0 bytes)")
    assert got["blank.txt"] == ("rejected", "contains only white space")
    assert got["image.png"][0] == "rejected" and "binary" in got["image.png"][1]
    assert sum(status == "article" for status, _ in got.values()) == 5


def test_subfolders_and_unusual_names_are_read(corpus: Path) -> None:
    sub = corpus / "tháng 11" / "bài viết"
    sub.mkdir(parents=True)
    (sub / "Quận uỷ họp.txt").write_text("Tiêu đề riêng\n\nNội dung.", encoding="utf-8")
    got = statuses(corpus)
    assert got["tháng 11/bài viết/Quận uỷ họp.txt"] == ("article", None)


def test_links_never_bring_in_files_from_outside(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("không được đọc")
    os.symlink(outside, corpus / "link_out.txt")
    os.symlink(corpus / SEED, corpus / "link_in.txt")
    os.symlink(tmp_path, corpus / "link_dir")
    os.symlink(tmp_path / "missing", corpus / "broken.txt")
    got = statuses(corpus)
    assert got["link_out.txt"] == (
        "rejected",
        "symbolic link to a file outside the input folder (not followed)",
    )
    assert got["link_in.txt"] == ("duplicate", f"byte-identical copy of {SEED}")
    assert got["link_dir"] == ("rejected", "symbolic link to a folder (not followed)")
    assert got["broken.txt"] == ("rejected", "broken symbolic link")


def test_title_first_text_is_an_article_titled_by_its_first_line(corpus: Path) -> None:
    (corpus / "plain.txt").write_text(
        "Một tiêu đề đơn giản\nĐoạn thứ nhất.\nĐoạn thứ hai.\n", encoding="utf-8"
    )
    t = build_tables(read_sources(scan(corpus)))
    row = t.article.filter(pl.col("source_file") == "plain.txt").row(0, named=True)
    assert row["header_format"] == "title_first"
    assert row["title"] == "Một tiêu đề đơn giản"
    assert row["published_at"] is None and row["category"] is None


def test_file_without_a_known_header_is_still_an_article(corpus: Path) -> None:
    prose = "Đoạn văn dài không có tiêu đề, " * 10 + "kết thúc bằng dấu chấm."
    (corpus / "prose.txt").write_text(prose + "\n", encoding="utf-8")
    t = build_tables(read_sources(scan(corpus)))
    row = t.article.filter(pl.col("source_file") == "prose.txt").row(0, named=True)
    assert row["header_format"] == "none"
    assert row["title"] == prose
    assert row["published_at"] is None and row["url"] is None


def test_empty_input_folder_builds_empty_tables(tmp_path: Path) -> None:
    t = build_tables(read_sources(scan(tmp_path)))
    assert (t.source_file.height, t.article.height, t.paragraph.height) == (0, 0, 0)
