"""Decoding: encodings detected and recorded, text normalised, bad input rejected with a reason."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from archive_etl.decode import article_id, decode

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
        ("Hà Nội".encode() + b"\xe1\xba", "not valid UTF-8"),
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
