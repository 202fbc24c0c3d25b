"""Decoding: encodings detected and recorded, text normalised, bad input rejected with a reason."""

from __future__ import annotations

import codecs
import hashlib
import shutil
import subprocess
import unicodedata

import ftfy.bad_codecs  # noqa: F401 (registers the "sloppy-windows-1252" codec browsers used)
import pytest

from archive_etl.read.decode import article_id, decode
from archive_etl.read.html_text import html_to_text, looks_like_html
from archive_etl.read.legacy import ENCODINGS, TCVN3, VISCII, read_as_vietnamese
from conftest import SEEDS
from legacy_bytes import encode

TEXT = "Quận uỷ Long Biên\nHoàn thành 16/16 chỉ tiêu, đạt 101,53 %\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "UTF-16LE with BOM"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16BE with BOM"),
        (TEXT.encode("utf-16-le"), "UTF-16LE"),
        (TEXT.encode("utf-16-be"), "UTF-16BE"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "UTF-32LE with BOM"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert decoded.text == TEXT


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_nul_bytes_inside_text_are_removed() -> None:
    assert decode("Hà\x00 Nội".encode()).text == "Hà Nội"


def test_nfd_text_is_composed_to_nfc_keeping_tone_style() -> None:
    nfd = unicodedata.normalize("NFD", "Quận uỷ và Quận ủy, khoá và khóa")
    text = decode(nfd.encode()).text
    assert text == "Quận uỷ và Quận ủy, khoá và khóa"
    assert unicodedata.is_normalized("NFC", text)


def test_bom_is_not_part_of_the_text() -> None:
    assert not decode(codecs.BOM_UTF8 + b"abc").text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\r\n ", "only white space"),
        (bytes(range(256)) * 8, "binary"),
        (("Hà Nội, Quận ủy Long Biên. " * 10).encode("cp1258", "replace"), "not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n" + b"\x01\x02\x03\x04" * 100, "binary"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "byte-order mark"),
        ("Hà Nội".encode() + b"\xe1\xba", "truncated UTF-8: the file ends inside a character"),
        (b"Ha Noi \xff\xfe\xfd\xfc", "not valid UTF-8 (invalid start byte at byte 7); tried Windows-1258"),
    ],
)
def test_undecodable_input_is_rejected_with_a_reason(data: bytes, reason: str) -> None:
    decoded = decode(data)
    assert decoded.text is None
    assert reason in decoded.reason


def test_article_id_depends_only_on_the_normalised_text() -> None:
    nfc = decode(TEXT.encode("utf-8")).text
    nfd = decode(unicodedata.normalize("NFD", TEXT).replace("\n", "\r\n").encode("utf-16")).text
    assert article_id(nfc) == article_id(nfd)
    assert len(article_id(nfc)) == 16


ARTICLE = (
    "Quận uỷ Long Biên tổ chức hội nghị tổng kết công tác năm 2021\n"
    "Các đồng chí đã thực hiện được những nhiệm vụ của Đảng bộ với kết quả tốt; "
    "người dân trong phường không còn khó khăn như trước.\n"
)


def test_seeds_decode_byte_for_byte_as_plain_utf8() -> None:
    # None of the new detection touches a normal Vietnamese file: the text is the file itself.
    for path in sorted(SEEDS.glob("*.txt")):
        data = path.read_bytes()
        decoded = decode(data)
        assert decoded.encoding == "UTF-8"
        assert decoded.text.encode("utf-8") == data
        assert article_id(decoded.text) == hashlib.sha256(data).hexdigest()[:16]


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        # "Quận uỷ được" as the encodings' code charts spell it, byte by byte.
        ("Windows-1258", b"Qu\xe2\xf2n uy\xd2 \xf0\xfd\xf5\xf2c"),
        ("VISCII", b"Qu\xa7n u\xd6 \xf0\xdf\xfec"),
        ("TCVN3", b"Qu\xcbn u\xfb \xae\xad\xeec"),
        ("VNI", b"Qua\xe4n uy\xfb \xf1\xf6\xf4\xefc"),
    ],
)
def test_legacy_code_tables_spell_vietnamese_letters(encoding: str, data: bytes) -> None:
    assert unicodedata.normalize("NFC", ENCODINGS[encoding](data)) == "Quận uỷ được"


@pytest.mark.parametrize(("table", "iconv_name"), [(VISCII, "VISCII"), (TCVN3, "TCVN5712-1")])
def test_legacy_code_tables_agree_with_iconv(table: str, iconv_name: str) -> None:
    iconv = shutil.which("iconv")
    if iconv is None:
        pytest.skip("iconv is not installed")
    done = subprocess.run(
        [iconv, "-f", iconv_name, "-t", "UTF-8"], input=bytes(range(256)), capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"this iconv has no {iconv_name}")
    assert done.stdout.decode("utf-8") == table


@pytest.mark.parametrize("encoding", ["Windows-1258", "VISCII", "TCVN3", "VNI"])
def test_legacy_encodings_are_detected_and_named(encoding: str) -> None:
    decoded = decode(encode("ĐẢNG BỘ QUẬN LONG BIÊN\n" + ARTICLE, encoding))
    assert decoded.encoding == encoding
    assert decoded.text == "ĐẢNG BỘ QUẬN LONG BIÊN\n" + ARTICLE
    assert unicodedata.is_normalized("NFC", decoded.text)


def test_short_legacy_text_is_rejected_as_too_short_to_be_sure() -> None:
    decoded = decode(encode("Hà Nội là thủ đô", "Windows-1258"))
    assert decoded.text is None
    assert decoded.reason.startswith("not valid UTF-8 (invalid continuation byte at byte 1); ")
    assert decoded.reason.endswith(
        "(best: Windows-1258, only 4 distinct common Vietnamese syllables, 5 needed)"
    )
    assert "tried Windows-1258, VISCII, TCVN3, VNI: too little text to be sure" in decoded.reason


def test_latin1_text_in_another_language_is_not_taken_for_vietnamese() -> None:
    french = "Le café était très bon, déjà vu à la française; où est la gare? Voilà. " * 5
    decoded = decode(french.encode("latin-1"))
    assert decoded.text is None
    assert "tried Windows-1258, VISCII, TCVN3, VNI: none reads clearly as Vietnamese" in decoded.reason


def test_reading_as_vietnamese_counts_only_accented_words() -> None:
    reading = read_as_vietnamese("Quận uỷ Long Biên tổng kết năm 2021, nghiêng về Ærø (English)")
    assert (reading.accented, reading.common, reading.distinct, reading.foreign) == (9, 7, 7, 2)
    assert reading.sure
    assert not read_as_vietnamese("Quaän uûy Long Bieân toå chöùc hoäi nghò").sure


@pytest.mark.parametrize(
    ("mojibake", "label"),
    [
        (ARTICLE.encode("utf-8").decode("latin-1"), "UTF-8 (mojibake repaired: latin-1)"),
        (ARTICLE.encode("utf-8").decode("sloppy-windows-1252"), "UTF-8 (mojibake repaired: windows-1252)"),
    ],
)
def test_utf8_once_read_as_latin1_is_repaired(mojibake: str, label: str) -> None:
    assert "Quáº­n uá»·" in mojibake
    decoded = decode(mojibake.encode("utf-8"))
    assert decoded.encoding == label
    assert decoded.text == ARTICLE


def test_mojibake_that_lost_bytes_is_repaired_with_the_loss_marked() -> None:
    # Strict Windows-1252 has no character for bytes 0x81, 0x8d, 0x8f, 0x90, 0x9d: Đ and ờ lost one.
    lossy = ARTICLE.encode("utf-8").decode("cp1252", "replace")
    decoded = decode(lossy.encode("utf-8"))
    assert decoded.encoding == "UTF-8 (mojibake repaired: windows-1252)"
    assert decoded.text == ARTICLE.replace("Đ", "\ufffd").replace("ờ", "\ufffd")


def test_mojibake_with_a_bom_keeps_the_bom_in_its_label() -> None:
    data = codecs.BOM_UTF8 + ARTICLE.encode("utf-8").decode("latin-1").encode("utf-8")
    assert decode(data).encoding == "UTF-8 with BOM (mojibake repaired: latin-1)"


@pytest.mark.parametrize(
    "text",
    [
        "« Quận uỷ » họp; giá 5 € một cái; ẢNH: TƯ LIỆU\n",
        "Le café était très bon: cafÃ© is how a broken page spells it.\n",
    ],
)
def test_text_that_only_looks_like_mojibake_is_left_alone(text: str) -> None:
    decoded = decode(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (text, "UTF-8")


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Quận uỷ họp</title>
<style>p { color: red }</style><script>var s = "<p>không hiện</p>";</script></head>
<body><div class="nav">Trang chủ</div>
<h1>Hội nghị   Ban Chấp hành</h1>
<p>Đoạn thứ nhất &amp; thứ hai,
viết trên hai dòng.</p><p>Đạt 101,53&nbsp;% chỉ tiêu<br>Dòng sau br</p>
<ul><li>Một</li><li>Hai</li></ul><table><tr><td>Ô 1</td><td>Ô 2</td></tr></table>
<!-- ghi chú --></body></html>
"""
PAGE_TEXT = (
    "Quận uỷ họp\nTrang chủ\nHội nghị Ban Chấp hành\nĐoạn thứ nhất & thứ hai, viết trên hai dòng.\n"
    "Đạt 101,53\u00a0% chỉ tiêu\nDòng sau br\nMột\nHai\nÔ 1 Ô 2\n"
)


def test_html_page_becomes_its_visible_text_one_block_per_line() -> None:
    assert html_to_text(PAGE) == PAGE_TEXT
    decoded = decode(PAGE.encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (PAGE_TEXT, "UTF-8 (HTML converted to text)")


def test_html_in_utf16_is_converted_too() -> None:
    decoded = decode(codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"))
    assert (decoded.text, decoded.encoding) == (PAGE_TEXT, "UTF-16LE with BOM (HTML converted to text)")


def test_html_fragment_without_a_document_start_is_recognised_by_its_tags() -> None:
    fragment = "<p>Một</p><p>Hai</p><p>Ba</p>"
    assert looks_like_html(fragment)
    assert decode(fragment.encode()).text == "Một\nHai\nBa\n"


def test_head_left_open_does_not_hide_the_body() -> None:
    assert html_to_text("<html><head><title>T</title><body><p>Nội dung</p>") == "T\nNội dung\n"


@pytest.mark.parametrize("text", ["Chỉ số a < b và c > d\n", "Kết quả <1% và <br> được nhắc một lần\n"])
def test_text_with_angle_brackets_is_not_html(text: str) -> None:
    assert not looks_like_html(text)
    assert decode(text.encode()).text == text


def test_html_page_without_text_is_rejected() -> None:
    page = b"<!DOCTYPE html><html><head><script>x()</script><style>p{}</style></head><body> </body></html>"
    decoded = decode(page)
    assert decoded.text is None
    assert decoded.reason == "HTML page with no text in it (only markup, scripts or styles)"
