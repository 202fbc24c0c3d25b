"""Documents cited: "Nghị quyết số 15-NQ/TU, ngày 04/7/2017", "Luật số: 59/2020/QH14", "Kế
hoạch số 03, 04", "Luật Đất đai 2013", "Hiến pháp năm 2013" — as Polars expressions.

Three passes over the paragraphs (`spans`), each one regex:
1. numbered: a document noun, an optional issuer or name before "số", the number, a year and an
   issuer code ("59/2020/QH14", "15-NQ/TU", "2200-QĐ/TU"), more numbers sharing the noun, and a
   date of issue or a year stated with it;
2. laws and codes cited by name ("Luật Đầu tư", "Bộ luật Hình sự"), with the year when written;
3. the constitution with its year ("Hiến pháp năm 2013").
A named match inside a numbered one is dropped ("Luật Đất đai số 13/2003/QH11" is one citation).
What is not a citation: a count of documents ("06 Kế hoạch"), a verb with a count ("thông báo
5 ca"), a self-reference ("Luật này"), a lawyer ("Luật sư").
"""

from __future__ import annotations

import re

import polars as pl

from archive_etl.parse.lexicon import (
    CLASSIFIERS,
    DOC_NOUNS,
    DURATION_UNITS,
    LAW_NAME_STOP,
    LAW_NAME_WORDS,
    MEASURE_UNITS,
    MONEY_UNITS,
)
from archive_etl.parse.spans import KEYS, span_id, spans

_WORD = r"[\p{L}\p{M}]+"
_SO = r"(?:số|Số|SỐ)"


def _noun_regex() -> str:
    """Any document noun as it is written: lower-case, capitalised, title-case or in capitals.
    Case variants spelled out, not "(?i:...)": literal alternatives let the regex engine skip
    to them, which made the numbered pass four times faster."""
    spellings = set()
    for noun in DOC_NOUNS:
        words = noun.split()
        spellings |= {
            noun,
            noun[:1].upper() + noun[1:],
            " ".join(w[:1].upper() + w[1:] for w in words),
            noun.upper(),
        }
    spaced = r"\s+"
    return "|".join(w.replace(" ", spaced) for w in sorted(spellings, key=len, reverse=True))


# An issuer code: "NQ/TU", "QĐ-UBND", "TT-BTC", "Qh13", "QH 11" (written with a space).
_CODE = r"(?:Q[Hh] \d{1,2}|\p{Lu}[\p{L}\p{M}&]*\d*(?:\s?[-/]\s?[\p{L}\p{M}&]+\d*)*)"
_NUMBER = r"(?P<number>\d{1,5})(?:\s?[-/]\s?(?P<year>(?:19|20)\d{2}))?(?:\s?[-/]\s?(?P<code>" + _CODE + r"))?"
# More numbers sharing the noun: "Kế hoạch số 03, 04", "Quyết định 12/QĐ-UB và 15/QĐ-UB".
_MORE = r"(?:\s*(?:,|và)\s*(?:" + _SO + r"\s*)?" + re.sub(r"\(\?P<\w+>", "(?:", _NUMBER) + ")"
# A date of issue after the citation: ", ngày 04/7/2017", "ký ngày 18 tháng 11 năm 2016".
_DATE = (
    r"(?P<dated>\s*,?\s*\(?\s*(?:(?:ký|ban hành|ra)\s+)?ngày\s+(?P<day>\d{1,2})\s*(?:[/.-]|tháng)\s*"
    r"(?P<month>\d{1,2})\s*(?:[/.-]|năm)\s*(?P<date_year>\d{4})"
    # a day and month without a year: stated, but no date to record ("thông tư 130 (ngày 12/8)")
    r"|\s*,?\s*\(?\s*ngày\s+\d{1,2}/\d{1,2}\b"
    r"|\s+năm\s+(?P<stated_year>(?:19|20)\d{2}))?"
)
# No leading "\b": Unicode word boundaries make this regex eight times slower; a noun glued to
# the letter before it is dropped after the search instead.
NUMBERED = (
    r"(?P<raw>(?P<noun>" + _noun_regex() + r")"
    # an issuer or name between the noun and "số": "tờ trình Chính phủ số", "Luật Đất đai số"
    r"(?:\s+(?P<mid>\p{Lu}[\p{L}\p{M}]*(?:\s+" + _WORD + r"){0,4}?)\s+" + _SO + r"\s*:?\s*"
    r"|\s+(?P<so>" + _SO + r")\s*:?\s*|\s+)" + _NUMBER + r")"
)
# A law or code by its name: a capitalised first word, then lower-case words ("Luật Ngân sách
# nhà nước"); "Bộ luật" also with a lower-case name ("Bộ luật dân sự").
NAMED = (
    r"\b(?P<raw>(?P<noun>(?i:bộ\s+luật)|Luật|LUẬT)\s+(?P<name>\p{Lu}[\p{Ll}\p{M}]*\b(?:\s+\p{Ll}[\p{Ll}\p{M}]*){0,6}"
    r"|\p{Ll}[\p{Ll}\p{M}]*(?:\s+\p{Ll}[\p{Ll}\p{M}]*){0,6})(?:\s+Việt\s+Nam)?(?:\s+(?:năm\s+)?(?P<year>(?:19|20)\d{2}))?)"
)
# The constitution with its year or the state's name; a bare "Hiến pháp" is the idea, not a text.
CONSTITUTION = (
    r"\b(?P<raw>(?P<noun>Hiến\s+pháp)(?:(?P<name>\s+nước\s+Cộng\s+h(?:oà|òa)\s+xã\s+hội\s+chủ\s+nghĩa\s+"
    r"Việt\s+Nam)(?:\s+năm\s+(?P<year>(?:19|20)\d{2}))?|\s+năm\s+(?P<year2>(?:19|20)\d{2})))"
)
# A document's own number on a line of its own, at the head of a law or decree ("Số: 51/2005/QH11"):
# its type is read from the code.
OWN_NUMBER = r"^(?P<raw>(?:Số|SỐ)\s*:?\s*" + _NUMBER + ")"
_TYPE_OF_CODE = {
    "QH": "Luật", "LCT": "Luật", "NĐ": "Nghị định", "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị",
    "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "KH": "Kế hoạch", "HD": "Hướng dẫn", "TB": "Thông báo",
    "KL": "Kết luận", "TTr": "Tờ trình", "BC": "Báo cáo", "ĐA": "Đề án", "L": "Lệnh", "PL": "Pháp lệnh",
}  # fmt: skip
# Before these, "Luật ..." is a firm or a school, not a law: "Công ty Luật TNHH", "Đại học Luật".
_NOT_A_LAW_BEFORE = r"(?i)(?:công\s+ty|văn\s+phòng|hãng|đại\s+học|trường|khoa|đoàn)\s*$"

_OUT = [
    "article_id", "paragraph_no", "raw", "doc_type", "number", "year", "issuer_code", "issued_on",
    "char_start", "char_end",
]  # fmt: skip


def _doc_type(noun: pl.Expr) -> pl.Expr:
    """The noun as written to its normalised name ("nghị  quyết", "NGHỊ QUYẾT" -> "Nghị quyết")."""
    key = noun.str.to_lowercase().str.replace_all(r"\s+", " ")
    return key.replace_strict(DOC_NOUNS, default=None)


def _groups(rows: pl.LazyFrame, pattern: str) -> pl.LazyFrame:
    """Each span's named groups as columns."""
    return rows.with_columns(g=pl.col("match").str.extract_groups(rf"^{pattern}$")).unnest("g")


_NOUNS = sorted(DOC_NOUNS)
_PARTS = ["raw", "noun", "mid", "so", "number", "year", "code"]


def _shared_noun(rows: pl.LazyFrame) -> pl.LazyFrame:
    """The other numbers of a citation that names several ("Kế hoạch số 03, 04"): each its own
    row, with the first one's noun, when it has the first one's shape (a code if it has one; a
    bare number only after "số")."""
    raw_end = pl.col("char_start") + pl.col("raw").str.len_chars().cast(pl.Int64)
    items = rows.filter(pl.col("code").is_not_null() | pl.col("so").is_not_null()).select(
        *KEYS,
        "noun",
        parent_code="code",
        _start=raw_end,
        # Bounded: a slice to the paragraph's end would copy the rest of it for every citation.
        text=pl.col("text").str.slice(raw_end, 1000).str.extract(rf"^((?:{_MORE})+)", 1),
    )
    found = _groups(
        spans(
            items.filter(pl.col("text").is_not_null()), _NUMBER, keys=(*KEYS, "_start", "noun", "parent_code")
        ),
        _NUMBER,
    )
    return found.filter(pl.col("code").is_not_null() == pl.col("parent_code").is_not_null()).select(
        *KEYS,
        raw="match",
        noun="noun",
        mid=pl.lit(None, pl.String),
        so=pl.lit("shared"),
        number="number",
        year="year",
        code="code",
        char_start=pl.col("_start") + pl.col("char_start"),
    )


def _numbered(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    text = paragraphs.select(*KEYS, "text")
    cited = pl.col("text").str.contains(r"\d") & pl.col("text").str.to_lowercase().str.contains_any(_NOUNS)
    rows = (
        _groups(spans(paragraphs, NUMBERED, prefilter=cited), NUMBERED)
        .join(text, on=list(KEYS))
        .filter(~pl.col("before").str.contains(r"[\p{L}\p{N}]$"))
    )
    rows = pl.concat([rows.select(*KEYS, *_PARTS, "char_start"), _shared_noun(rows)]).join(
        text, on=list(KEYS)
    )
    raw_end = pl.col("char_start") + pl.col("raw").str.len_chars().cast(pl.Int64)
    # The date of issue or the year stated after the citation, read from the text after it: in
    # the citation's regex, this optional tail made the search thirty times slower.
    rows = rows.with_columns(
        # past the other numbers sharing the noun: "Kế hoạch số 03, 04 ngày 10/10/2020" dates both
        dates=pl.col("text").str.slice(raw_end, 100).str.extract_groups(rf"^(?:{_MORE})*{_DATE}")
    ).unnest("dates")
    after = pl.col("text").str.slice(raw_end, 100).str.extract(r"^\s*([\p{L}%]+)", 1).str.to_lowercase()
    counted = after.is_in(sorted(CLASSIFIERS | DURATION_UNITS | MEASURE_UNITS | MONEY_UNITS)) | (after == "%")
    bare = pl.col("code").is_null() & pl.col("so").is_null() & pl.col("mid").is_null()
    lower_noun = pl.col("noun").str.contains(r"^\p{Ll}")
    stated = pl.col("dated").fill_null("") != ""
    keep = (
        ~bare
        | stated
        | (
            ~counted.fill_null(False)
            & ~pl.col("number").str.contains(r"^(?:19|20)\d{2}$")
            & (~lower_noun | pl.col("number").str.starts_with("0"))
        )
    )
    # A date that does not exist (31/02) is not guessed at: null.
    issued = pl.concat_str(
        pl.col("date_year"), pl.col("month").str.zfill(2), pl.col("day").str.zfill(2), separator="-"
    ).str.to_date("%Y-%m-%d", strict=False)
    return rows.filter(keep).select(
        *KEYS,
        "raw",
        doc_type=_doc_type(pl.col("noun")),
        number="number",
        year=pl.coalesce(pl.col("year"), pl.col("stated_year")).cast(pl.Int64, strict=False),
        issuer_code="code",
        issued_on=issued,
        char_start="char_start",
        char_end=raw_end,
    )


def _named(paragraphs: pl.LazyFrame, pattern: str, prefilter: pl.Expr) -> pl.LazyFrame:
    rows = _groups(spans(paragraphs, pattern, prefilter=prefilter), pattern)
    first = pl.col("name").str.extract(r"^\s*(\S+)", 1)
    year = (
        pl.coalesce(pl.col("year"), pl.col("year2")) if "year2" in rows.collect_schema() else pl.col("year")
    )
    return rows.filter(
        # "Luật này", "Luật sư", "luật pháp": no law's name.
        ~first.is_in(sorted(LAW_NAME_STOP)).fill_null(False)
        & ~pl.col("before").str.contains(_NOT_A_LAW_BEFORE)
    ).select(
        *KEYS,
        # Cut the name at the first word that cannot be part of it ("Luật Đầu tư được ...").
        raw=pl.col("raw"),
        doc_type=_doc_type(pl.col("noun")),
        number=pl.lit(None, pl.String),
        year=year.cast(pl.Int64, strict=False),
        issuer_code=pl.lit(None, pl.String),
        issued_on=pl.lit(None, pl.Date),
        char_start="char_start",
        char_end=pl.col("char_start") + pl.col("raw").str.len_chars().cast(pl.Int64),
    )


def _cut_at_stop_words(rows: pl.LazyFrame) -> pl.LazyFrame:
    """A named law's raw ends before the first word that cannot belong to a law's name."""
    stops = "|".join(sorted(LAW_NAME_STOP - LAW_NAME_WORDS, key=len, reverse=True))
    raw = pl.col("raw").str.extract(rf"^(.*?)(?:\s+(?:{stops})(?:\s.*)?)?$", 1)
    # "Luật Hôn nhân và gia đình" keeps its "và"; "Luật Đầu tư và các văn bản" does not.
    raw = raw.str.replace(r"\s+(?:và|hoặc)$", "")
    return rows.with_columns(raw=raw, char_end=pl.col("char_start") + raw.str.len_chars().cast(pl.Int64))


def _own_numbers(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """A law's or decree's own number at its head: the type from the code ("QH11" is a law)."""
    rows = _groups(
        spans(paragraphs, OWN_NUMBER, prefilter=pl.col("text").str.contains(r"^(?:Số|SỐ)")), OWN_NUMBER
    )
    letters = pl.col("code").str.extract(r"^(\p{L}+)", 1)
    doc_type = letters.replace_strict(_TYPE_OF_CODE, default=None)
    return rows.filter(doc_type.is_not_null()).select(
        *KEYS,
        "raw",
        doc_type=doc_type,
        number="number",
        year=pl.col("year").cast(pl.Int64, strict=False),
        issuer_code="code",
        issued_on=pl.lit(None, pl.Date),
        char_start="char_start",
        char_end=pl.col("char_start") + pl.col("raw").str.len_chars().cast(pl.Int64),
    )


def extract_documents(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per document cited in the paragraphs (`article_id`, `paragraph_no`, `text`)."""
    numbered = pl.concat([_numbered(paragraphs), _own_numbers(paragraphs)])
    named = pl.concat(
        [
            _cut_at_stop_words(_named(paragraphs, NAMED, pl.col("text").str.contains(r"(?i)luật"))),
            _named(paragraphs, CONSTITUTION, pl.col("text").str.contains(r"Hiến\s+pháp")),
        ]
    )
    # A name inside a numbered citation is that citation.
    inside = named.join(
        numbered.select(*KEYS, s="char_start", e="char_end"), on=list(KEYS), how="left"
    ).filter((pl.col("char_start") >= pl.col("s")) & (pl.col("char_start") < pl.col("e")))
    named = named.join(inside.select(*KEYS, "char_start"), on=[*KEYS, "char_start"], how="anti")
    return (
        pl.concat([numbered, named])
        .filter(pl.col("doc_type").is_not_null())
        .sort(*KEYS, "char_start")
        .with_columns(ref_id=span_id())
        .select("ref_id", *_OUT)
    )
