"""Bytes to text: detect the encoding, decode, normalise to the package's text form.

The decoded text is what every char offset in the package points into: NFC, LF line ends,
no NUL, no BOM. Anything that cannot be decoded with confidence is rejected with a reason a
person understands; nothing is guessed silently.

Valid UTF-8 (nearly every file) pays only for ten single-character tests (a few microseconds);
legacy encodings, mojibake repair and HTML are tried only when those hint at them.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from archive_etl.read.html_text import html_to_text, looks_like_html
from archive_etl.read.legacy import guess_legacy, read_as_vietnamese

# Longest BOMs first: the UTF-32LE BOM starts with the UTF-16LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE with BOM"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE with BOM"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE with BOM"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE with BOM"),
)
# Control characters other than tab, LF, FF and CR; many of them means binary data, not text.
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes(c for c in range(32) if c not in b"\t\n\x0c\r") + b"\x7f"
_UTF16_LABELS = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
_BINARY = "binary data, not text (control characters or NUL bytes throughout)"
_UNICODE = ("UTF-8", "UTF-16", "UTF-32")
# UTF-8 read once as Latin-1 or Windows-1252: the lead byte of a Vietnamese letter (Â Ã Ä Å Æ for
# U+0080-U+01BF, Ì for combining marks, á with º/» for U+1EA0-U+1EFF, â for quotes and dashes)
# followed by what a continuation byte (0x80-0xBF) reads as in those code pages.
_CONTINUATION = "\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE_HINT = re.compile(f"[ÂÃÄÅÆÌ][{_CONTINUATION}]|á[º»]|â€")
# Tests for single rare characters are two orders of magnitude cheaper than the search: they guard it.
_MOJIBAKE_MARKS = ("Ã", "Ä", "Å", "Æ", "Â", "Ì", "º", "»", "€")


def _looks_like_mojibake(text: str) -> bool:
    return any(mark in text for mark in _MOJIBAKE_MARKS) and _MOJIBAKE_HINT.search(text) is not None


def _too_many(count: int, total: int, share: float) -> bool:
    """More than `share` of `total`, and more than a stray few."""
    return count > max(4, share * total)


@dataclass(frozen=True)
class Decoded:
    """The outcome of decoding one file: text and encoding, or a reason for rejecting it."""

    text: str | None
    encoding: str | None
    reason: str | None = None
    # True when `text` is the input bytes decoded as UTF-8 with nothing changed, so a hash of
    # the bytes is a hash of the text (most files: it spares encoding them again).
    verbatim: bool = False


def normalise(text: str) -> str:
    """The package's text form: LF line ends, no NUL or BOM, Unicode NFC."""
    # Each step is skipped when a quick look says it changes nothing (the common case).
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    text = text.removeprefix("\ufeff")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL in every other byte for Latin/Vietnamese text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    if odd.count(0) > 0.3 * half and even.count(0) < 0.05 * half:
        return "utf-16-le"
    if even.count(0) > 0.3 * half and odd.count(0) < 0.05 * half:
        return "utf-16-be"
    return None


def _decode_raw(data: bytes) -> Decoded:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), label)
            except UnicodeDecodeError as e:
                name = label.split()[0]
                return Decoded(
                    None,
                    None,
                    f"starts with a {name} byte-order mark but is not valid {name} "
                    f"({e.reason} at byte {e.start + len(bom)})",
                )
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as utf8_error:
        codec = _utf16_without_bom(data)
        if codec is not None:
            try:
                return Decoded(data.decode(codec), _UTF16_LABELS[codec])
            except UnicodeDecodeError:
                pass
        if _too_many(len(data) - len(data.translate(None, _CONTROL_BYTES)), len(data), 0.01):
            return Decoded(None, None, _BINARY)
        where = f"{utf8_error.reason} at byte {utf8_error.start}"
        if utf8_error.reason == "unexpected end of data":
            return Decoded(None, None, f"truncated UTF-8: the file ends inside a character ({where})")
        guess = guess_legacy(data)
        if guess.text is not None:
            return Decoded(guess.text, guess.encoding)
        return Decoded(None, None, f"not valid UTF-8 ({where}); {guess.reason}")


def _repair_mojibake(text: str, encoding: str) -> tuple[str, str]:
    """Undo UTF-8 once read as Latin-1/Windows-1252, when ftfy's repair clearly reads as Vietnamese."""
    import ftfy  # only here: its import costs more than decoding a thousand clean files

    fixed, steps = ftfy.fix_encoding_and_explain(text)
    if fixed == text or not steps or fixed.count("\ufffd") > text.count("\ufffd"):
        return text, encoding
    fixed = unicodedata.normalize("NFC", fixed)
    after = read_as_vietnamese(fixed)
    if not after.sure or after.share <= read_as_vietnamese(text).share:
        return text, encoding
    was = next((codec for action, codec in steps if action == "encode"), "latin-1")
    return fixed, f"{encoding} (mojibake repaired: {was.removeprefix('sloppy-')})"


def decode(data: bytes) -> Decoded:
    """Decode a raw file's bytes into normalised text, or say why it cannot be."""
    if not data:
        return Decoded(None, None, "empty file (0 bytes)")
    raw = _decode_raw(data)
    if raw.text is None:
        return raw
    n = len(raw.text)
    clean = len(data.translate(None, _CONTROL_BYTES)) == len(data)  # no control byte nor NUL at all
    if not clean and (
        _too_many(len(_CONTROL.findall(raw.text)), n, 0.01) or _too_many(raw.text.count("\x00"), n, 0.1)
    ):
        return Decoded(None, raw.encoding, _BINARY)
    text = normalise(raw.text)
    if not text.strip():
        return Decoded(None, raw.encoding, "contains only white space")
    encoding = raw.encoding or ""
    if encoding.startswith(_UNICODE) and _looks_like_mojibake(text):
        text, encoding = _repair_mojibake(text, encoding)
    if looks_like_html(text):
        text = normalise(html_to_text(text))
        if not text.strip():
            return Decoded(None, encoding, "HTML page with no text in it (only markup, scripts or styles)")
        encoding += " (HTML converted to text)"
    return Decoded(text, encoding, verbatim=encoding == "UTF-8" and text == raw.text)


def article_id(text: str) -> str:
    """Stable article identifier derived from the normalised text alone."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
