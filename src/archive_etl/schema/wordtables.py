"""Tab-separated word tables: the rules' word lists and the document nouns are data, read here.

A table is a header line and rows of tab-separated cells, UTF-8, NFC; no quoting, since no word
holds a tab. Kept in `schema` so that the schema's enums (`DOC_TYPES`) and the extractors read
the same files.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path


def read_tsv(path: Path) -> list[dict[str, str]]:
    """The rows of a word table, keyed by its header; a row of the wrong width is an error."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    header = lines[0].split("\t")
    rows: list[dict[str, str]] = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ValueError(f"{path.name}:{number}: {len(cells)} cells where the header has {len(header)}")
        if unicodedata.normalize("NFC", line) != line:
            raise ValueError(f"{path.name}:{number}: not in NFC")
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


# One table of document nouns: the types a citation is normalised to (`cited`), the issuer-code
# letters that give a type ("QH" of "59/2020/QH14" is a law), the nouns that open a legal
# document's title in capitals, and those after which a number names a document, not a figure.
DOCUMENT_NOUNS_TABLE = read_tsv(Path(__file__).with_name("document_types.tsv"))
