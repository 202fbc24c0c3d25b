"""Every hostile input is accounted for: one generated folder of every awkward case, built for real.

Each entry of the folder gets a source_file row with the status, encoding and reason below; what
decodes becomes an article whose text is the right Vietnamese; the package stays valid.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_etl.archive.validate import validate_package
from archive_etl.build import BuildResult, build
from archive_etl.build.tables import build_tables
from archive_etl.read.decode import decode
from archive_etl.read.sources import read_sources, scan
from conftest import SEEDS
from legacy_bytes import encode

SEED = "000_2fba84feb8337456.txt"
BODY = (
    "Hội nghị đánh giá kết quả thực hiện nhiệm vụ chính trị năm 2021 của Đảng bộ quận.\n"
    "Các chi bộ đã hoàn thành 16/16 chỉ tiêu, trong đó có 05 chỉ tiêu vượt kế hoạch.\n"
    "Đồng chí Bí thư Quận uỷ yêu cầu các đơn vị tiếp tục nâng cao chất lượng sinh hoạt chi bộ.\n"
)


def article(title: str) -> str:
    """A Format A article (as the seeds are) with its own title, so that no two cases are duplicates."""
    return f"Tin tức - Sự kiện nổi bật\n\n{title}\nNgày đăng 14/12/2021 | 16:30  | Lượt xem: 120\n{BODY}"


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Quận uỷ Long Biên</title>
<script>var tracker = "<p>không phải nội dung</p>";</script><style>p { margin: 0 }</style></head>
<body><h1>Hội nghị   tổng kết</h1>
<p>Hội nghị đánh giá kết quả thực hiện nhiệm vụ chính trị năm 2021 của Đảng bộ quận.</p>
<p>Các chi bộ đã hoàn thành 16/16 chỉ tiêu &amp; vượt kế hoạch.<br>Nguồn: Quận uỷ</p></body></html>
"""
PAGE_TEXT = (
    "Quận uỷ Long Biên\nHội nghị tổng kết\n"
    "Hội nghị đánh giá kết quả thực hiện nhiệm vụ chính trị năm 2021 của Đảng bộ quận.\n"
    "Các chi bộ đã hoàn thành 16/16 chỉ tiêu & vượt kế hoạch.\nNguồn: Quận uỷ\n"
)
# 3.4 MB of Vietnamese without a line break.
ONE_LINE = (
    "Quận uỷ Long Biên tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2021 tại hội trường. " * 33_000
)
# Cut inside the last letter: "bộ" ends in the three bytes e1 bb 99, the file in e1 bb.
TRUNCATED = article("Bài bị cắt giữa chữ").rstrip(".\n").encode("utf-8")[:-1]


Row = dict[str, object]


@dataclass(frozen=True)
class Case:
    """One entry of the hostile folder and what must become of it."""

    data: bytes | None  # None: the entry is made by `make` (links)
    status: str
    encoding: str | None
    reason: str | None
    text: str | None = None  # the decoded article text, when it is an article
    make: Callable[[Path, Path], None] | None = None


def _link(target: str) -> Callable[[Path, Path], None]:
    def make(path: Path, outside: Path) -> None:
        os.symlink(target.format(outside=outside, folder=path.parent), path)

    return make


LEGACY_REJECT = (
    "not valid UTF-8 (invalid continuation byte at byte 1); tried Windows-1258, VISCII, TCVN3, VNI: "
    "too little text to be sure (best: Windows-1258, only 4 distinct common Vietnamese syllables, 5 needed)"
)
LATIN1_REJECT = (
    "not valid UTF-8 (invalid continuation byte at byte 6); tried Windows-1258, VISCII, TCVN3, VNI: "
    "none reads clearly as Vietnamese (best: Windows-1258, 0 of 35 accented words are common "
    "Vietnamese syllables, 5 letters Vietnamese does not use)"
)
BINARY = "binary data, not text (control characters or NUL bytes throughout)"

CASES: dict[str, Case] = {
    SEED: Case((SEEDS / SEED).read_bytes(), "article", "UTF-8", None),
    "bản sao của bài gốc.txt": Case(
        (SEEDS / SEED).read_bytes(), "duplicate", "UTF-8", f"byte-identical copy of {SEED}"
    ),
    "empty.txt": Case(b"", "rejected", None, "empty file (0 bytes)"),
    "whitespace only.txt": Case(b" \t\r\n\n  \r\n", "rejected", "UTF-8", "contains only white space"),
    "image.png": Case(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "rejected", None, BINARY),
    "utf-8 bom.txt": Case(
        codecs.BOM_UTF8 + article("UTF-8 có BOM").encode(),
        "article",
        "UTF-8 with BOM",
        None,
        article("UTF-8 có BOM"),
    ),
    "utf-16le bom.txt": Case(
        codecs.BOM_UTF16_LE + article("UTF-16LE có BOM").encode("utf-16-le"),
        "article",
        "UTF-16LE with BOM",
        None,
        article("UTF-16LE có BOM"),
    ),
    "utf-16be bom.txt": Case(
        codecs.BOM_UTF16_BE + article("UTF-16BE có BOM").encode("utf-16-be"),
        "article",
        "UTF-16BE with BOM",
        None,
        article("UTF-16BE có BOM"),
    ),
    "utf-16le.txt": Case(
        article("UTF-16LE không BOM").encode("utf-16-le"),
        "article",
        "UTF-16LE",
        None,
        article("UTF-16LE không BOM"),
    ),
    "utf-16be.txt": Case(
        article("UTF-16BE không BOM").encode("utf-16-be"),
        "article",
        "UTF-16BE",
        None,
        article("UTF-16BE không BOM"),
    ),
    "nfd.txt": Case(
        unicodedata.normalize("NFD", article("Dạng NFD: Quận uỷ và Quận ủy, khoá và khóa")).encode(),
        "article",
        "UTF-8",
        None,
        article("Dạng NFD: Quận uỷ và Quận ủy, khoá và khóa"),
    ),
    "crlf.txt": Case(
        article("Xuống dòng CRLF").replace("\n", "\r\n").encode(),
        "article",
        "UTF-8",
        None,
        article("Xuống dòng CRLF"),
    ),
    "nul inside.txt": Case(
        article("Có byte\x00 NUL").encode(), "article", "UTF-8", None, article("Có byte NUL")
    ),
    "truncated.txt": Case(
        TRUNCATED,
        "rejected",
        None,
        "truncated UTF-8: the file ends inside a character "
        f"(unexpected end of data at byte {len(TRUNCATED) - 2})",
    ),
    "windows-1258.txt": Case(
        encode(article("Bảng mã Windows-1258"), "Windows-1258"),
        "article",
        "Windows-1258",
        None,
        article("Bảng mã Windows-1258"),
    ),
    "viscii.txt": Case(
        encode(article("Bảng mã VISCII"), "VISCII"), "article", "VISCII", None, article("Bảng mã VISCII")
    ),
    "tcvn3.txt": Case(
        encode(article("Bảng mã TCVN3"), "TCVN3"), "article", "TCVN3", None, article("Bảng mã TCVN3")
    ),
    "vni.txt": Case(encode(article("Bảng mã VNI"), "VNI"), "article", "VNI", None, article("Bảng mã VNI")),
    "legacy too short.txt": Case(encode("Hà Nội là thủ đô", "Windows-1258"), "rejected", None, LEGACY_REJECT),
    "latin-1 french.txt": Case(
        ("Le café était très bon, déjà vu à la française; où est la gare? " * 5).encode("latin-1"),
        "rejected",
        None,
        LATIN1_REJECT,
    ),
    "mojibake.txt": Case(
        article("Lỗi mã hoá đã sửa").encode().decode("latin-1").encode(),
        "article",
        "UTF-8 (mojibake repaired: latin-1)",
        None,
        article("Lỗi mã hoá đã sửa"),
    ),
    "page saved as text.txt": Case(
        PAGE.encode(), "article", "UTF-8 (HTML converted to text)", None, PAGE_TEXT
    ),
    "empty page.html": Case(
        b"<!DOCTYPE html><html><head><script>track()</script></head><body>\n</body></html>",
        "rejected",
        "UTF-8",
        "HTML page with no text in it (only markup, scripts or styles)",
    ),
    "one line of 3 MB.txt": Case(ONE_LINE.encode(), "article", "UTF-8", None, ONE_LINE),
    "tháng 11/bài viết/Quận uỷ họp ngày 14.txt": Case(
        article("Tên tệp có dấu cách và chữ Việt").encode(),
        "article",
        "UTF-8",
        None,
        article("Tên tệp có dấu cách và chữ Việt"),
    ),
    "link inside.txt": Case(
        None, "duplicate", "UTF-8", f"byte-identical copy of {SEED}", make=_link(f"{{folder}}/{SEED}")
    ),
    "link outside.txt": Case(
        None,
        "rejected",
        None,
        "symbolic link to a file outside the input folder (not followed)",
        make=_link("{outside}/secret.txt"),
    ),
    "broken link.txt": Case(
        None, "rejected", None, "broken symbolic link", make=_link("{folder}/missing.txt")
    ),
    "folder link outside": Case(
        None, "rejected", None, "symbolic link to a folder (not followed)", make=_link("{outside}")
    ),
    "folder link loop": Case(
        None, "rejected", None, "symbolic link to a folder (not followed)", make=_link("{folder}")
    ),
}


def make_folder(root: Path) -> Path:
    """Write every case into `root/input`, with a secret file beside it that links try to reach."""
    folder, outside = root / "input", root / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text("Bí mật: không được đọc vào gói.\n", encoding="utf-8")
    for name, case in CASES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if case.make is not None:
            case.make(path, outside)
        else:
            path.write_bytes(case.data or b"")
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("hostile")
    return build(make_folder(root), root / "datapackage")


@pytest.fixture(scope="module")
def rows(hostile: BuildResult) -> dict[str, Row]:
    return {row["source_file"]: row for row in hostile.source_file.iter_rows(named=True)}


def test_every_entry_has_exactly_one_row(rows: dict[str, Row]) -> None:
    assert sorted(rows) == sorted(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_each_entry_gets_its_status_encoding_and_reason(name: str, rows: dict[str, Row]) -> None:
    case, row = CASES[name], rows[name]
    assert (row["status"], row["encoding"], row["reason"]) == (case.status, case.encoding, case.reason)
    assert (row["article_id"] is not None) == (case.status != "rejected")


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.text is not None])
def test_each_decoded_entry_is_the_right_vietnamese_text(name: str, hostile: BuildResult) -> None:
    article = hostile.tables.article.filter(pl.col("source_file") == name)
    assert article.height == 1
    assert article["text"].item() == CASES[name].text


def test_duplicates_point_at_the_kept_article(rows: dict[str, Row]) -> None:
    for name in ("bản sao của bài gốc.txt", "link inside.txt"):
        assert rows[name]["article_id"] == rows[SEED]["article_id"]


def test_nothing_from_outside_the_folder_enters_the_package(hostile: BuildResult) -> None:
    texts = hostile.tables.article["text"].to_list() + hostile.tables.paragraph["text"].to_list()
    assert not any("Bí mật" in text for text in texts)


def test_the_multi_megabyte_line_is_one_paragraph(hostile: BuildResult) -> None:
    article = hostile.tables.article.filter(pl.col("source_file") == "one line of 3 MB.txt")
    paragraphs = hostile.tables.paragraph.filter(pl.col("article_id") == article["article_id"].item())
    assert paragraphs.height == 1
    assert (paragraphs["char_start"].item(), paragraphs["char_end"].item()) == (0, len(ONE_LINE.rstrip()))


def test_the_html_page_becomes_paragraphs_without_markup(hostile: BuildResult) -> None:
    article = hostile.tables.article.filter(pl.col("source_file") == "page saved as text.txt")
    paragraphs = hostile.tables.paragraph.filter(pl.col("article_id") == article["article_id"].item())
    assert paragraphs["text"].to_list() == PAGE_TEXT.splitlines()


def test_the_package_of_the_hostile_folder_is_valid(hostile: BuildResult) -> None:
    report = validate_package(hostile.output)
    assert report.valid, report.problems
    assert report.rows["source_file"] == len(CASES)


def test_every_article_row_counts_once(hostile: BuildResult) -> None:
    articles = [name for name, case in CASES.items() if case.status == "article"]
    assert sorted(hostile.tables.article["source_file"].to_list()) == sorted(articles)


# Entries that are not plain files: a link loop and a named pipe are rejected, not a crash or a hang.


def test_a_looping_file_link_is_rejected_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    got = build_tables(read_sources(scan(tmp_path))).source_file
    assert got["status"].to_list() == ["rejected", "rejected"]
    assert set(got["reason"]) == {"symbolic link loop (not followed)"}


def test_a_named_pipe_is_rejected_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    done: dict[str, pl.DataFrame] = {}
    worker = threading.Thread(
        target=lambda: done.update(rows=build_tables(read_sources(scan(tmp_path))).source_file), daemon=True
    )
    worker.start()
    worker.join(2)
    if worker.is_alive():
        with open(tmp_path / "pipe.txt", "wb"):
            pass  # the writer's end lets the blocked reader finish
        worker.join()
        pytest.fail("reading the input folder waited on a named pipe")
    assert done["rows"]["status"].to_list() == ["rejected"]
    assert done["rows"]["reason"].to_list() == ["not a regular file (named pipe)"]


# Arbitrary bytes: whatever a folder holds, reading and parsing it never raises.

PHRASE = "của và các được trong người năm những với cho này đã không thực hiện Quận uỷ Đảng bộ"
WORDS = [*PHRASE.split(), "\n", "2021", "16/16", "101,53 %"]
vietnamese = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
file_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    vietnamese.map(str.encode),
    st.tuples(vietnamese, st.sampled_from(["Windows-1258", "VISCII", "TCVN3", "VNI"])).map(
        lambda pair: encode(*pair)
    ),
    vietnamese.map(lambda t: t.encode().decode("latin-1").encode()),
    vietnamese.map(lambda t: f"<html><body><p>{t}</p><br><div>{t}</div></body></html>".encode()),
    st.tuples(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]), vietnamese).map(
        lambda pair: pair[1].encode(pair[0])
    ),
    # Valid text with damage: bytes cut off or spliced in.
    st.tuples(vietnamese, st.binary(max_size=8), st.integers(0, 200)).map(
        lambda t: t[0].encode()[: t[2]] + t[1] + t[0].encode()[t[2] :]
    ),
)


@settings(max_examples=150, deadline=None)
@given(file_bytes)
def test_decode_never_raises_and_gives_text_or_a_reason(data: bytes) -> None:
    decoded = decode(data)
    if decoded.text is None:
        assert decoded.reason
    else:
        assert decoded.reason is None and decoded.encoding
        assert unicodedata.is_normalized("NFC", decoded.text)
        assert "\r" not in decoded.text and "\x00" not in decoded.text and decoded.text.strip()
        if decoded.verbatim:  # the file's hash may then stand for the text's
            assert decoded.text.encode("utf-8") == data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(file_bytes, min_size=1, max_size=6))
def test_reading_and_parsing_any_folder_never_raises(files: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for i, data in enumerate(files):
            (Path(tmp) / f"{i:02d}.txt").write_bytes(data)
        tables = build_tables(read_sources(scan(Path(tmp))))
    assert tables.source_file.height == len(files)
    assert set(tables.source_file["status"]) <= {"article", "duplicate", "rejected"}
    assert tables.source_file.filter(pl.col("status") != "article")["reason"].null_count() == 0
    assert tables.article.height == tables.source_file.filter(pl.col("status") == "article").height


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(file_bytes, min_size=1, max_size=4))
def test_the_whole_build_of_any_folder_never_raises_and_validates(files: list[bytes]) -> None:
    """The real build (Parquet, descriptor, database) on arbitrary bytes: a valid package."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i, data in enumerate(files):
            (folder / f"{i:02d}.txt").write_bytes(data)
        result = build(folder, Path(tmp) / "pkg")
        assert result.files == len(files)
        report = validate_package(result.output)
        assert report.valid, report.problems[:3]
        article = result.tables.article
        # article_id is the hash of the stored text, however the file was decoded.
        for article_id, text in article.select("article_id", "text").iter_rows():
            assert article_id == hashlib.sha256(text.encode()).hexdigest()[:16]
