"""Writing Vietnamese text in the legacy encodings, to make test files as old software saved them."""

from __future__ import annotations

import unicodedata

from archive_etl.read.legacy import TCVN3, VISCII, VNI

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(text: str) -> bytes:
    """Letters Windows-1258 has are written as such, others as the base letter and a combining tone."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        out.append((base + tones).encode("cp1258", "replace"))
    return b"".join(out)


def _table(text: str, table: str) -> bytes:
    codes = {char: bytes([i]) for i, char in reversed(list(enumerate(table)))}
    return b"".join(codes.get(c, b"?") for c in text)


def _vni(text: str) -> bytes:
    spellings = {letter: spelling for spelling, letter in VNI.items()}
    return "".join(spellings.get(c, c) for c in text).encode("cp1252", "replace")


def encode(text: str, encoding: str) -> bytes:
    """`text` in Windows-1258, VISCII, TCVN3 or VNI; characters the encoding lacks become '?'."""
    text = unicodedata.normalize("NFC", text)
    if encoding == "Windows-1258":
        return _windows_1258(text)
    if encoding == "VNI":
        return _vni(text)
    return _table(text, {"VISCII": VISCII, "TCVN3": TCVN3}[encoding])
