"""The extractors' word lists and token shapes, read from the table files in `rules/`.

`rules/lists.tsv` declares each list once: its file, its kind (`words`; `map`, a word to a
value; `scale`, a word to a factor), whether both tone-mark styles are matched, the list it
extends, what it is for and an example. `rules/<file>.tsv` holds its rows (list, word, value),
each word once, in the new tone style only: the old style ("uỷ", "hoà") is added here. The
document nouns are `schema/document_types.tsv`, shared with the schema's `DOC_TYPES`.
`rules/shapes.tsv` names the shapes of a number the metric rules ask about ("t_4": four
digits), and `rules/not_metric.tsv` is read by parse/not_metric.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive_etl.schema.wordtables import DOCUMENT_NOUNS_TABLE, read_tsv

RULES = Path(__file__).with_name("rules")
KINDS = ("words", "map", "scale")

# Where the old ("hoà", "uỷ") and new ("hòa", "ủy") styles place the tone differently: on "oa",
# "oe" or "uy" ending an open syllable. Not before a final consonant ("hoàn", "khoảng") nor
# after the "qu" consonant ("quý"), which are written one way in both.
_TONED = {"a": "áàảãạ", "e": "éèẻẽẹ", "y": "ýỳỷỹỵ"}
_BARE = {"a": "o", "e": "o", "y": "u"}
_NEW_TONE = {"a": "óòỏõọ", "e": "óòỏõọ", "y": "úùủũụ"}
_LOWER_PAIRS = [
    (new + end, _BARE[end] + old)
    for end, olds in _TONED.items()
    for new, old in zip(_NEW_TONE[end], olds, strict=True)
]
# "uy" opens words too: "Ủy ban", "Uỷ ban".
_TONE_PAIRS = _LOWER_PAIRS + [(n.capitalize(), o.capitalize()) for n, o in _LOWER_PAIRS if o[0] == "u"]


def _restyle(word: str, *, old: bool) -> str:
    """`word` with every open "oa", "oe", "uy" syllable in the old style, or in the new."""
    for new_form, old_form in _TONE_PAIRS:
        source, target = (new_form, old_form) if old else (old_form, new_form)
        word = re.sub(rf"(?<![qQ]){source}(?!\w)", target, word)
    return word


def both_tone_styles(words: set[str] | frozenset[str]) -> frozenset[str]:
    """Each word as written, in the new tone style and in the old ("hòa", "hoà")."""
    return frozenset(w for word in words for w in (word, _restyle(word, old=False), _restyle(word, old=True)))


@dataclass(frozen=True)
class WordList:
    """One declared list: its rows (word to value, "" for a plain list) with both tone styles."""

    name: str
    file: str
    kind: str
    about: str
    example: str
    entries: dict[str, str]


def load(folder: Path = RULES) -> dict[str, WordList]:
    """Every list of `folder`, checked: each declared once, of a known kind, extending a list
    declared before it, each word listed once and only in its list's file."""
    lists: dict[str, WordList] = {}
    declared = read_tsv(folder / "lists.tsv")
    rows: dict[str, list[dict[str, str]]] = {}
    for file in sorted({d["file"] for d in declared}):
        for row in read_tsv(folder / f"{file}.tsv"):
            rows.setdefault(row["list"], []).append(row | {"file": file})
    for d in declared:
        name = d["list"]
        if name in lists:
            raise ValueError(f"lists.tsv declares {name} twice")
        if d["kind"] not in KINDS or d["tones"] not in ("yes", "no"):
            raise ValueError(f"lists.tsv: {name} has kind {d['kind']!r}, tones {d['tones']!r}")
        entries: dict[str, str] = {}
        for row in rows.pop(name, []):
            if row["file"] != d["file"]:
                raise ValueError(f"{row['file']}.tsv lists {row['word']!r} in {name}, a list of another file")
            if row["word"] in entries:
                raise ValueError(f"{d['file']}.tsv: {row['word']!r} twice in {name}, or in both tone styles")
            styles = both_tone_styles({row["word"]}) if d["tones"] == "yes" else {row["word"]}
            entries |= dict.fromkeys(sorted(styles), row["value"])
        if d["extends"]:
            if d["extends"] not in lists:
                raise ValueError(f"lists.tsv: {name} extends {d['extends']}, not declared before it")
            entries = lists[d["extends"]].entries | entries
        lists[name] = WordList(name, d["file"], d["kind"], d["about"], d["example"], entries)
    if rows:
        raise ValueError(f"words of undeclared lists: {sorted(rows)}")
    return lists


LISTS = load()


@dataclass(frozen=True)
class Shape:
    """A shape of a number as written (`of` = token) or of the word's pieces around it (pre,
    post): a regex the metric rules name (`t_4`), with an example it matches."""

    name: str
    of: str
    pattern: str
    example: str
    about: str


def load_shapes(path: Path = RULES / "shapes.tsv") -> tuple[Shape, ...]:
    """The shapes of `path`, each named once and of a known part of the word."""
    shapes = tuple(Shape(**row) for row in read_tsv(path))
    names = [shape.name for shape in shapes]
    if len(set(names)) != len(names) or any(shape.of not in ("token", "pre", "post") for shape in shapes):
        raise ValueError(f"{path.name}: a shape named twice, or of no known part of the word")
    return shapes


SHAPES = load_shapes()


def _words(name: str) -> frozenset[str]:
    return frozenset(LISTS[name].entries)


def _map(name: str) -> dict[str, str]:
    return dict(LISTS[name].entries)


# --- Metrics (parse/metrics.py) ---
TWO_SYLLABLE_UNITS = _words("TWO_SYLLABLE_UNITS")
CLASSIFIERS = _words("CLASSIFIERS")
DURATION_UNITS = _words("DURATION_UNITS")
SCALES: dict[str, float] = {word: float(value) for word, value in LISTS["SCALES"].entries.items()}
CURRENCIES = _words("CURRENCIES")
MONEY_UNITS = _words("MONEY_UNITS")
MEASURE_UNITS = _words("MEASURE_UNITS")
DOCUMENT_WORDS = _words("DOCUMENT_WORDS")
NAME_WORDS = _words("NAME_WORDS")
ORDINAL_WORDS = _words("ORDINAL_WORDS")
DAY_WORDS = _words("DAY_WORDS")
VIEW_COUNTER_WORDS = _words("VIEW_COUNTER_WORDS")
STRONG_DATE_WORDS = _words("STRONG_DATE_WORDS")
DATE_WORDS = _words("DATE_WORDS")
YEAR_WORDS = _words("YEAR_WORDS")
DECADE_WORDS = _words("DECADE_WORDS")
PHONE_WORDS = _words("PHONE_WORDS")
COUNT_BEFORE_SO = _words("COUNT_BEFORE_SO")
SCORE_WORDS = _words("SCORE_WORDS")
MULTIPLIER_WORDS = _words("MULTIPLIER_WORDS")
NOT_ORDINAL_PAIRS = _words("NOT_ORDINAL_PAIRS")
RATIO_LEADS = _words("RATIO_LEADS")
NOT_SCALE_AFTER = _words("NOT_SCALE_AFTER")
COMMON_WORDS = _words("COMMON_WORDS")
NOT_UNIT_PAIRS = _words("NOT_UNIT_PAIRS")
LINE_OPENERS = _words("LINE_OPENERS")
NOT_UNITS = _words("NOT_UNITS")
QUALIFIER_WORDS = _map("QUALIFIER_WORDS")
QUALIFIER_WORDS_AFTER = _map("QUALIFIER_WORDS_AFTER")
CHANGE_WORDS = _map("CHANGE_WORDS")
FUNCTION_WORDS = _words("FUNCTION_WORDS")
# The units a word of one syllable, or two, may be.
ONE_WORD_UNITS = CLASSIFIERS | DURATION_UNITS | MEASURE_UNITS | CURRENCIES | MONEY_UNITS
TWO_WORD_UNITS = TWO_SYLLABLE_UNITS | MONEY_UNITS | MEASURE_UNITS | DURATION_UNITS

# --- Documents (parse/documents.py, and metrics' document numbers) ---
LAW_NAME_WORDS = _words("LAW_NAME_WORDS")
LAW_NAME_STOP = _words("LAW_NAME_STOP")


def _nouns(flag: str) -> list[str]:
    """The document nouns marked `flag` in schema/document_types.tsv, in its order."""
    return [row["noun"] for row in DOCUMENT_NOUNS_TABLE if row[flag] == "yes"]


# Each way a cited noun is written in lower case to its type: "qui định" -> "Quy định".
DOC_NOUNS: dict[str, str] = {
    spelling: noun
    for noun in _nouns("cited")
    for spelling in sorted(both_tone_styles({noun.lower(), noun.lower().replace("quy ", "qui ")}))
}
# Nouns after which a number names a document: "Nghị quyết 15", "Chương trình 01".
DOCUMENT_NOUNS = both_tone_styles({noun.lower() for noun in _nouns("numbered")})
# The code letters of a document number to its type: "59/2020/QH14" is a law.
TYPE_OF_CODE = {code: row["noun"] for row in DOCUMENT_NOUNS_TABLE for code in row["codes"].split()}
# The nouns that open a legal document's name, in capitals: "LUẬT", "NGHỊ ĐỊNH".
LEGAL_TITLES = tuple(noun.upper() for noun in _nouns("title"))

# --- People (parse/people.py) ---
HONORIFICS = _words("HONORIFICS")
ROLE_HEADS = _words("ROLE_HEADS")
ROLE_PREFIXES = _words("ROLE_PREFIXES")
ROLE_STOP_WORDS = _words("ROLE_STOP_WORDS")
FUNCTION_WORDS_IN_OFFICES = _words("FUNCTION_WORDS_IN_OFFICES")
POST_WORDS = _words("POST_WORDS")
SURNAMES = _words("SURNAMES")
PLACE_NOUNS = _words("PLACE_NOUNS")
COUNTRIES = _words("COUNTRIES")
ORGANISATION_WORDS = _words("ORGANISATION_WORDS")
PLACES = _words("PLACES")
NAME_OPENERS = _words("NAME_OPENERS")
