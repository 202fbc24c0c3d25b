"""Documents cited: "Nghị quyết số 15-NQ/TU, ngày 04/7/2017", "Luật số: 59/2020/QH14", "Kế
hoạch số 03, 04", "Luật Đất đai 2013", "Hiến pháp năm 2013" — read from the token pass.

How it works, all vectorised over the batch:
1. The words that may open a citation bear the mark `d_noun` (they end with a document noun's
   first word); the noun is spelled by them and the words after them, looked up in `SPELLINGS`.
2. numbered: after the noun, an issuer or name then "số" (`mid`), "số" (`so`), or the number
   itself, read from facts of the words after it (`_word_facts`, asked once per distinct word)
   at shifts over token positions;
3. laws and codes cited by name ("Luật Đầu tư", "Bộ luật Hình sự"), with the year when written,
   and the constitution with its year ("Hiến pháp năm 2013"): the same, word by word;
4. a document's own number at the head of a law or decree ("Số: 51/2005/QH11"): its type is
   read from the code.
A named law inside a numbered citation is dropped ("Luật Đất đai số 13/2003/QH11" is one).
What is not a citation: a count of documents ("06 Kế hoạch"), a verb with a count ("thông báo
5 ca"), a self-reference ("Luật này"), a lawyer ("Luật sư"), a firm ("Công ty Luật").

Where a regex still reads text: the number with its year and issuer code, the other numbers
sharing its noun and the date stated after it (`_TAIL`, `_shared`). They are a grammar of
characters that spaces may or may not split ("15-NQ/TU", "01- CT/TU", "QH 11", ", ngày
04/7/2017", "ký ngày 18 tháng 11 năm 2016"), so the text from the number on is rebuilt from
at most `_WINDOW` words and read once per distinct such text.

Every candidate reads a bounded number of words after it, so a paragraph of megabytes costs
what its words cost: no paragraph is cut into sentences, and no text is sliced per candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
from archive_etl.parse.spans import span_id, spans
from archive_etl.parse.tokens import KEYS, Tokens


def _spellings() -> dict[str, str]:
    """Every way a document noun is written — lower-case, capitalised, title-case, in capitals —
    to its normalised name ("Nghị Quyết" -> "Nghị quyết")."""
    out: dict[str, str] = {}
    for noun, name in DOC_NOUNS.items():
        title = " ".join(w[:1].upper() + w[1:] for w in noun.split())
        for spelling in (noun, noun[:1].upper() + noun[1:], title, noun.upper()):
            out.setdefault(spelling, name)
    return out


SPELLINGS = _spellings()
_FIRST_WORDS = sorted({s.split(" ")[0] for s in SPELLINGS}, key=len, reverse=True)
_LATER_WORDS = sorted({w for s in SPELLINGS for w in s.split(" ")[1:]})
_NOUN_WORDS = max(s.count(" ") for s in SPELLINGS) + 1
# The words the document rules read: those ending with a noun's first word (a noun glued to the
# letters before it is found, and then dropped), and "bộ" in any case ("BỘ Luật", "bộ luật").
MARKS: dict[str, pl.Expr] = {
    "d_noun": pl.col("word").str.contains(f"(?:{'|'.join(_FIRST_WORDS)})$")
    | pl.col("lower").str.ends_with("bộ")
}

# An issuer code: "NQ/TU", "QĐ-UBND", "TT-BTC", "Qh13", "QH 11" (written with a space).
_CODE = r"(?:Q[Hh] \d{1,2}|\p{Lu}[\p{L}\p{M}&]*\d*(?:\s?[-/]\s?[\p{L}\p{M}&]+\d*)*)"
_NUMBER = r"(?P<number>\d{1,5})(?:\s?[-/]\s?(?P<year>(?:19|20)\d{2}))?(?:\s?[-/]\s?(?P<code>" + _CODE + r"))?"
_SO = r"(?:số|Số|SỐ)"
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
# From a citation's number on: the number, the numbers sharing its noun, the date or year
# stated with it, and the word after the number (a counted noun makes "06 Kế hoạch" no citation).
_TAIL = rf"^(?P<num>{_NUMBER})(?P<more>(?:{_MORE})*){_DATE}(?:\s*(?P<after>[\p{{L}}%]+))?"
# Words the tail is read from: the number's, and enough after it for a code, a list and a date.
_WINDOW = 12
_TYPE_OF_CODE = {
    "QH": "Luật", "LCT": "Luật", "NĐ": "Nghị định", "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị",
    "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "KH": "Kế hoạch", "HD": "Hướng dẫn", "TB": "Thông báo",
    "KL": "Kết luận", "TTr": "Tờ trình", "BC": "Báo cáo", "ĐA": "Đề án", "L": "Lệnh", "PL": "Pháp lệnh",
}  # fmt: skip
_COUNTED = sorted(CLASSIFIERS | DURATION_UNITS | MEASURE_UNITS | MONEY_UNITS | {"%"})
# Words of a law's name that end it ("Luật Đầu tư được ..."), unless they may sit inside one.
_NAME_STOPS = sorted(LAW_NAME_STOP - LAW_NAME_WORDS)
# Before these, "Luật ..." is a firm or a school, not a law: "Công ty Luật TNHH", "Đại học Luật";
# the pairs by the code of their second word, and the code of the first word's ending.
_NOT_A_LAW_AFTER = ("hãng", "trường", "khoa", "đoàn")
_NOT_A_LAW_PAIRS = {"ty": ("công", 1), "phòng": ("văn", 2), "học": ("đại", 3)}
# The constitution cited by the state's name, word by word after "Hiến pháp".
_STATE = (("nước",), ("Cộng",), ("hòa", "hoà"), ("xã",), ("hội",), ("chủ",), ("nghĩa",), ("Việt",))
# Words read after a named law's noun: seven of its name, "Việt Nam", "năm" and the year.
_NAME_READ = 11
_MID_WORDS = 5
# Words from a noun's first to its number, at most: the noun's, the name's, "số" and ":".
_NUMBERED_WORDS = _NOUN_WORDS + _MID_WORDS + 3

_OUT = [
    "article_id", "paragraph_no", "raw", "doc_type", "number", "year", "issuer_code", "issued_on",
    "char_start", "char_end",
]  # fmt: skip
_WORD_CHAR = r"[\p{L}\p{M}\p{N}_]"


def _suffix_facts(name: str, core: pl.Expr) -> dict[str, pl.Expr]:
    """Where `core`, the end of the word, starts in it (`{name}_at`), and whether what comes
    before it ends with a letter or a digit (`{name}_glued`) or with no word character at all
    (`{name}_bound`: a word boundary stands before `core`)."""
    at = pl.col("chars") - core.str.len_chars().cast(pl.Int64)
    before = pl.col("word").str.slice(0, at)
    return {
        f"{name}_at": at,
        f"{name}_glued": before.str.contains(r"[\p{L}\p{N}]$"),
        f"{name}_bound": ~before.str.contains(rf"{_WORD_CHAR}$"),
    }


def _word_facts() -> dict[str, pl.Expr]:
    """What the document rules ask of a word (`word`, `lower`, `chars`): once per distinct word."""
    word, lower = pl.col("word"), pl.col("lower")
    head = word.str.extract(f"({'|'.join(_FIRST_WORDS)})$", 1)
    bo = lower.str.ends_with("bộ")
    law = pl.when(bo).then(word.str.slice(-2)).otherwise(word.str.extract("(Luật|LUẬT|Hiến)$", 1))
    # A law's name is read in runs of letters: a capitalised word ending at a word boundary or
    # lower-case letters; a run shorter than its word ends the name inside the word.
    cap = word.str.extract(r"^(\p{Lu}[\p{Ll}\p{M}]*)\b", 1)
    low = word.str.extract(r"^(\p{Ll}[\p{Ll}\p{M}]*)", 1)
    run = pl.coalesce(cap, low)
    so = word.str.extract(r"^((?:số|Số|SỐ):?)(?:\d|$)", 1)
    pair_first = pl.lit(0)
    for first, code in _NOT_A_LAW_PAIRS.values():
        pair_first = pl.when(lower.str.ends_with(first)).then(code).otherwise(pair_first)
    return {
        "head": head,
        **_suffix_facts("head", head),
        # 1: "Luật" or "LUẬT", 2: "bộ" in any case, 3: "Hiến"
        "law": pl.when(bo).then(2).when(law == "Hiến").then(3).when(law.is_not_null()).then(1),
        **_suffix_facts("law", law),
        "later": word.is_in(_LATER_WORDS),
        # "số" (1), "số:" (2), "số:15" or "số15" (3: the number starts at `so_len`)
        "so": pl.when(so.is_null())
        .then(0)
        .when(so != word)
        .then(3)
        .when(so.str.ends_with(":"))
        .then(2)
        .otherwise(1),
        "so_len": so.str.len_chars().cast(pl.Int64),
        "so_cap": so.str.starts_with("S").fill_null(False),
        # a number (1), ":15" (2), ":" (3)
        "lead": pl.when(word.str.contains(r"^\d"))
        .then(1)
        .when(word.str.contains(r"^:\d"))
        .then(2)
        .when(word == ":")
        .then(3)
        .otherwise(0),
        "mid_first": word.str.contains(r"^\p{Lu}[\p{L}\p{M}]*$"),
        "mid": word.str.contains(r"^[\p{L}\p{M}]+$"),
        "run_len": run.str.len_chars().cast(pl.Int64),
        "run_first_stop": run.is_in(sorted(LAW_NAME_STOP)),
        "low_len": low.str.len_chars().cast(pl.Int64),
        "low_stop": low.is_in(_NAME_STOPS),
        "low_and": low == "và",
        "viet": word == "Việt",
        "nam_head": word.str.starts_with("Nam"),
        "nam": word == "Nam",
        "nam_word": word == "năm",
        "year4": word.str.extract(r"^((?:19|20)\d{2})", 1),
        "not_law_after": pl.any_horizontal(*(lower.str.ends_with(w) for w in _NOT_A_LAW_AFTER)),
        "pair_second": lower.replace_strict(
            {second: code for second, (_, code) in _NOT_A_LAW_PAIRS.items()}, default=0, return_dtype=pl.Int32
        ),
        "pair_first": pair_first,
    }


@dataclass(frozen=True)
class _Words:
    """The words of a batch, read at shifts from candidate words (`_rw`, their row in the word
    frame; `pos`; `_plen`, their paragraph's length in words): ids (`wid`) and offsets, and the
    facts of each distinct word (`facts`, by wid)."""

    wid: pl.Series
    start: pl.Series
    facts: pl.DataFrame

    @staticmethod
    def of(tokens: Tokens) -> _Words:
        facts = tokens.vocab.select("word", "lower", "chars").with_columns(**_word_facts())
        return _Words(tokens.words["wid"], tokens.words["start"].cast(pl.Int64), facts)

    def at(self, i: int | pl.Expr) -> pl.Expr:
        """The id of the word `i` places after the candidate (before it when negative); null
        outside its paragraph."""
        pos = pl.col("pos").cast(pl.Int64) + i
        row = (pl.col("_rw").cast(pl.Int64) + i).clip(0, self.wid.len() - 1)
        return pl.when((pos >= 0) & (pos < pl.col("_plen"))).then(pl.lit(self.wid).gather(row))

    def start_at(self, i: int | pl.Expr) -> pl.Expr:
        """The offset in the paragraph of the word `i` places after the candidate."""
        row = (pl.col("_rw").cast(pl.Int64) + i).clip(0, self.wid.len() - 1)
        return pl.lit(self.start).gather(row)

    def fact(self, name: str, wid: str | pl.Expr) -> pl.Expr:
        """Fact `name` of the word whose id is `wid` (a column or an expression)."""
        return pl.lit(self.facts[name]).gather(pl.col(wid) if isinstance(wid, str) else wid)

    def text(self, skip: pl.Expr, end: pl.Expr, words: int) -> pl.Expr:
        """The text from the candidate's word (less its first `skip` characters) to offset `end`
        in the paragraph, within it and the `words` - 1 words after it: rebuilt, not sliced."""
        pieces = []
        for i in range(words):
            start = self.start_at(i) + (skip if i == 0 else 0)
            word = self.fact("word", self.at(i))
            word = word.str.slice(skip) if i == 0 else word
            pieces.append(pl.when(start < end).then(word.str.slice(0, (end - start).clip(0))))
        return pl.concat_str(pieces, separator=" ", ignore_nulls=True)


def _candidates(tokens: Tokens, words: _Words) -> pl.DataFrame:
    """The words bearing `d_noun`, with their paragraph's length and the ids of the three after them."""
    return (
        tokens.bearing("d_noun")
        .select("_rw", "_para", "wid", "pos", start=pl.col("start").cast(pl.Int64))
        .with_columns(_plen=pl.lit(tokens.lengths).gather(pl.col("_para")))
        .with_columns(**{f"_w{i}": words.at(i) for i in range(1, _NOUN_WORDS)})
    )


def _spelled(frame: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """The document noun each candidate opens, its longest spelling: `_k` words, `noun` as
    written, `doc_type` normalised; candidates that open none are dropped."""
    head = words.fact("head", "wid")
    frame = frame.filter(head.is_not_null() & (head.is_in(list(SPELLINGS)) | words.fact("later", "_w1")))
    spelled = [head]
    for i in range(1, _NOUN_WORDS):
        spelled.append(pl.concat_str(spelled[-1], pl.lit(" "), words.fact("word", f"_w{i}")))
    noun, k = pl.lit(None, pl.String), pl.lit(None, pl.Int64)
    for i, spelling in enumerate(spelled, start=1):
        known = spelling.is_in(list(SPELLINGS)).fill_null(False)
        noun, k = pl.when(known).then(spelling).otherwise(noun), pl.when(known).then(i).otherwise(k)
    frame = frame.lazy().with_columns(noun=noun, _k=k).filter(pl.col("_k").is_not_null()).collect()
    return frame.with_columns(doc_type=pl.col("noun").replace_strict(SPELLINGS, default=None))


def _number_after_so(words: _Words, at: int) -> tuple[pl.Expr, pl.Expr]:
    """Where the number after a "số" at column `_m{at}` starts: in how many words from it, and
    at which character of that word (null when no number follows: "số" then `\\s*:?\\s*\\d`)."""
    so, lead1, lead2 = (
        words.fact("so", f"_m{at}"),
        words.fact("lead", f"_m{at + 1}"),
        words.fact("lead", f"_m{at + 2}"),
    )
    words_on = (
        pl.when(so == 3)
        .then(0)
        .when(((so == 1) | (so == 2)) & (lead1 == 1))
        .then(1)
        .when((so == 1) & (lead1 == 2))
        .then(1)
        .when((so == 1) & (lead1 == 3) & (lead2 == 1))
        .then(2)
    )
    char = pl.when(so == 3).then(words.fact("so_len", f"_m{at}")).when((so == 1) & (lead1 == 2)).then(1)
    return words_on, char.otherwise(0)


def _number_start(frame: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """After the noun: an issuer or name, then "số" (`_mid`); "số" (`_so`); or the number. `_nt`,
    the number's word from the candidate's, and `_no`, its first character in it; null when no
    number follows."""
    frame = frame.with_columns(**{f"_m{i}": words.at(pl.col("_k") + i) for i in range(_MID_WORDS + 3)})
    # The fewest name words before "số" ("tờ trình Chính phủ số 5"): a capitalised word, then
    # words of letters.
    named = words.fact("mid_first", "_m0").fill_null(False)
    mid_words, mid_char = pl.lit(None, pl.Int64), pl.lit(None, pl.Int64)
    for j in range(_MID_WORDS, 0, -1):
        prefix = pl.all_horizontal(
            named, *(words.fact("mid", f"_m{i}").fill_null(False) for i in range(1, j))
        )
        on, char = _number_after_so(words, j)
        found = prefix & on.is_not_null()
        mid_words = pl.when(found).then(j + on).otherwise(mid_words)
        mid_char = pl.when(found).then(char).otherwise(mid_char)
    so_words, so_char = _number_after_so(words, 0)
    plain = words.fact("lead", "_m0") == 1
    k = pl.col("_k")
    return frame.with_columns(
        _mid=mid_words.is_not_null(),
        _so=mid_words.is_null() & so_words.is_not_null(),
        _nt=k + pl.coalesce(mid_words, so_words, pl.when(plain).then(0)),
        _no=pl.coalesce(mid_char, pl.when(so_words.is_not_null()).then(so_char), pl.lit(0)),
    ).filter(pl.col("_nt").is_not_null())


def _tail(frame: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """The groups of `_TAIL` read from the text from each candidate's number on (`_nt`, `_no`),
    rebuilt from `_WINDOW` words and read once per distinct text; `_num_start`, `raw_end`."""
    nt = pl.col("_nt")
    first = words.fact("word", words.at(nt)).str.slice(pl.col("_no"))
    window = pl.concat_str(
        [first, *(words.fact("word", words.at(nt + i)) for i in range(1, _WINDOW))],
        separator=" ",
        ignore_nulls=True,
    )
    frame = frame.with_columns(_window=window, _num_start=words.start_at(nt) + pl.col("_no"))
    parsed = frame.select(pl.col("_window").unique()).with_columns(
        g=pl.col("_window").str.extract_groups(_TAIL)
    )
    frame = frame.join(parsed.unnest("g"), on="_window", how="left", maintain_order="left")
    return frame.with_columns(raw_end=pl.col("_num_start") + pl.col("num").str.len_chars().cast(pl.Int64))


def _raw(words: _Words, skip: pl.Expr, most: int) -> pl.Expr:
    """A numbered citation as written: its words up to the number's (at most `most` words), then
    the number as `_TAIL` read it (it may span words: "01- CT/TU")."""
    before = words.text(skip, pl.col("_num_start"), most)
    return pl.concat_str(before, pl.when(pl.col("_no") == 0).then(pl.lit(" ")).otherwise(pl.lit("")), "num")


def _consumed(frame: pl.DataFrame, end: str) -> pl.Expr:
    """Whether a match starts inside the one before it in its paragraph (regex search reads
    matches left to right and never overlapping)."""
    before = pl.col(end).cum_max().shift(1).over("_para")
    return (pl.col("char_start") < before).fill_null(False)


def _issued(date_year: str, month: str, day: str) -> pl.Expr:
    """The date of issue; a date that does not exist (31/02) is not guessed at: null."""
    return pl.concat_str(
        pl.col(date_year), pl.col(month).str.zfill(2), pl.col(day).str.zfill(2), separator="-"
    ).str.to_date("%Y-%m-%d", strict=False)


def _numbered(candidates: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """Citations with a number: the noun, an issuer or name with "số", or "số", then the number."""
    frame = _tail(_number_start(_spelled(candidates, words), words), words)
    frame = frame.with_columns(char_start=pl.col("start") + words.fact("head_at", "wid"))
    frame = frame.filter(~_consumed(frame, "raw_end") & ~words.fact("head_glued", "wid"))
    bare = pl.col("code").is_null() & ~pl.col("_so") & ~pl.col("_mid")
    lower_noun = pl.col("noun").str.contains(r"^\p{Ll}")
    stated = pl.col("dated").fill_null("") != ""
    counted = (pl.col("more").fill_null("") == "") & pl.col("after").str.to_lowercase().is_in(
        _COUNTED
    ).fill_null(False)
    keep = (
        ~bare
        | stated
        | (
            ~counted
            & ~pl.col("number").str.contains(r"^(?:19|20)\d{2}$")
            & (~lower_noun | pl.col("number").str.starts_with("0"))
        )
    )
    return frame.filter(keep).select(
        "_para",
        raw=_raw(words, words.fact("head_at", "wid"), _NUMBERED_WORDS),
        doc_type="doc_type",
        number="number",
        year=pl.coalesce("year", "stated_year").cast(pl.Int64, strict=False),
        issuer_code="code",
        issued_on=_issued("date_year", "month", "day"),
        char_start="char_start",
        char_end="raw_end",
        # the other numbers sharing the noun, when the first has a code or "số"
        _more=pl.when(pl.col("code").is_not_null() | pl.col("_so")).then("more"),
        _stated_year="stated_year",
    )


def _shared(numbered: pl.DataFrame) -> pl.DataFrame:
    """The other numbers of a citation that names several ("Kế hoạch số 03, 04"): each its own
    row, with the first one's noun and date, when it has the first one's shape (a code if it
    has one)."""
    rows = numbered.filter(pl.col("_more").fill_null("") != "").select(
        "_para", "doc_type", "issued_on", "_stated_year", _coded=pl.col("issuer_code").is_not_null(),
        _start="char_end", text="_more", _id=pl.int_range(pl.len()),
    )  # fmt: skip
    found = spans(rows.lazy(), _NUMBER, keys=("_id",)).collect()
    found = found.join(rows.drop("text"), on="_id", how="left", maintain_order="left")
    parts = pl.col("match").str.extract_groups(f"^{_NUMBER}$")
    found = found.with_columns(g=parts).unnest("g")
    char_start = pl.col("_start") + pl.col("char_start")
    return found.filter(pl.col("code").is_not_null() == pl.col("_coded")).select(
        "_para",
        raw="match",
        doc_type="doc_type",
        number="number",
        year=pl.coalesce("year", "_stated_year").cast(pl.Int64, strict=False),
        issuer_code="code",
        issued_on="issued_on",
        char_start=char_start,
        char_end=char_start + pl.col("match").str.len_chars().cast(pl.Int64),
    )


def _own_numbers(tokens: Tokens, words: _Words) -> pl.DataFrame:
    """A law's or decree's own number at its head ("Số: 51/2005/QH11"): the type from the code
    ("QH11" is a law)."""
    lengths = tokens.lengths
    firsts = (lengths.cum_sum() - lengths).cast(pl.Int64)
    frame = pl.DataFrame({"_rw": firsts, "_para": tokens.paragraphs["_para"], "_plen": lengths})
    frame = frame.with_columns(wid=pl.lit(words.wid).gather("_rw"), pos=pl.lit(0, pl.Int64))
    frame = frame.filter(words.fact("so_cap", "wid")).with_columns(
        **{f"_m{i}": words.at(i) for i in range(3)}, _k=pl.lit(0, pl.Int64)
    )
    on, char = _number_after_so(words, 0)
    frame = frame.with_columns(_nt=on, _no=char).filter(pl.col("_nt").is_not_null())
    frame = _tail(frame, words)
    doc_type = pl.col("code").str.extract(r"^(\p{L}+)", 1).replace_strict(_TYPE_OF_CODE, default=None)
    return frame.filter(doc_type.is_not_null()).select(
        "_para",
        raw=_raw(words, pl.lit(0), 3),
        doc_type=doc_type,
        number="number",
        year=pl.col("year").cast(pl.Int64, strict=False),
        issuer_code="code",
        issued_on=pl.lit(None, pl.Date),
        char_start=pl.lit(0, pl.Int64),
        char_end="raw_end",
    )


def _prev_end(end: str) -> pl.Expr:
    """The end of the matches before this one in its paragraph (0 when none)."""
    return pl.col(end).cum_max().shift(1).over("_para").fill_null(0)


def _not_a_law(words: _Words) -> pl.Expr:
    """ "Công ty Luật", "Đại học Luật", "thị trường Luật": the words before the noun, after the
    match before it (`_prev_end`), make it a firm's or a school's name."""
    one, two = words.at(-1), words.at(-2)
    after_one = words.fact("not_law_after", one) & (words.start_at(-1) >= pl.col("_prev_end"))
    second = words.fact("pair_second", one)
    pair = (
        (second > 0) & (words.fact("pair_first", two) == second) & (words.start_at(-2) >= pl.col("_prev_end"))
    )
    return ((words.fact("law_at", "wid") == 0) & (after_one | pair)).fill_null(False)


def _law_name(frame: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """A named law's name after its noun (`_k` words): runs of letters, a capitalised or
    lower-case first and up to six lower-case after, then "Việt Nam" and the year when written.
    `_last`, `_last_len`: where the match ends (words after the noun, characters in that word);
    `_cut`: the first word that cannot belong to a law's name ("năm" of the year among them)."""
    at = {i: words.at(pl.col("_k") + i) for i in range(_NAME_READ)}
    frame = frame.with_columns(**{f"_n{i}": w for i, w in at.items()})

    def fact(name: str, i: int | pl.Expr) -> pl.Expr:
        wid = pl.col(f"_n{i}") if isinstance(i, int) else words.at(pl.col("_k") + i)
        return words.fact(name, wid)

    first = fact("run_len", 0)
    frame = frame.filter(first.is_not_null()).with_columns(
        _last=pl.lit(0), _last_len=first, _whole=first == fact("chars", 0), _cut=pl.lit(None, pl.Int64)
    )
    for i in range(1, 7):
        run = fact("low_len", i)
        more = pl.col("_whole") & (pl.col("_last") == i - 1) & run.is_not_null()
        frame = frame.with_columns(
            _last=pl.when(more).then(i).otherwise("_last"),
            _last_len=pl.when(more).then(run).otherwise("_last_len"),
            _whole=pl.when(more).then(run == fact("chars", i)).otherwise("_whole"),
            _cut=pl.when(more & pl.col("_cut").is_null() & fact("low_stop", i)).then(i).otherwise("_cut"),
        )
    last = pl.col("_last")
    country = pl.col("_whole") & fact("viet", last + 1) & fact("nam_head", last + 2)
    frame = frame.with_columns(
        _country=country.fill_null(False),
        _last=pl.when(country).then(last + 2).otherwise(last),
        _last_len=pl.when(country).then(3).otherwise("_last_len"),
        _whole=pl.when(country).then(fact("nam", last + 2)).otherwise("_whole"),
    )
    year_next = pl.col("_whole") & fact("year4", last + 1).is_not_null()
    year_after = pl.col("_whole") & fact("nam_word", last + 1) & fact("year4", last + 2).is_not_null()
    return frame.with_columns(
        year=pl.when(year_next).then(fact("year4", last + 1)).when(year_after).then(fact("year4", last + 2)),
        _cut=pl.when(pl.col("_cut").is_null() & year_after.fill_null(False)).then(last + 1).otherwise("_cut"),
        _last=pl.when(year_next).then(last + 1).when(year_after).then(last + 2).otherwise(last),
        _last_len=pl.when(year_next | year_after).then(4).otherwise("_last_len"),
    )


def _laws(candidates: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """Laws and codes cited by name: "Luật Ngân sách nhà nước", "Bộ luật dân sự", "Luật Đất đai
    2013"; the name ends before the first word that cannot be part of it ("Luật Đầu tư được
    ...", but "Luật Hôn nhân và gia đình")."""
    law = words.fact("law", "wid")
    bound = words.fact("law_bound", "wid").fill_null(False)
    code = (law == 2) & (words.fact("lower", "_w1") == "luật")
    frame = candidates.filter(bound & ((law == 1) | code).fill_null(False)).with_columns(
        _k=pl.when(law == 2).then(2).otherwise(1), char_start=pl.col("start") + words.fact("law_at", "wid")
    )
    frame = _law_name(frame, words)
    k = pl.col("_k")
    frame = frame.with_columns(_end=words.start_at(k + pl.col("_last")) + pl.col("_last_len"))
    frame = frame.with_columns(_prev_end=_prev_end("_end")).filter(
        pl.col("char_start") >= pl.col("_prev_end")
    )
    frame = frame.filter(~words.fact("run_first_stop", "_n0") & ~_not_a_law(words))
    # "Luật Hôn nhân và gia đình" keeps its "và"; "Luật Đầu tư và các văn bản" does not.
    kept = (
        pl.when(pl.col("_cut").is_not_null())
        .then(pl.col("_cut") - 1)
        .when(~pl.col("_country") & pl.col("year").is_null())
        .then("_last")
    )
    conjunction = (kept > 0) & words.fact("low_and", words.at(k + kept))
    kept = pl.when(conjunction.fill_null(False)).then(kept - 1).otherwise(kept)
    end = (
        pl.when(conjunction.fill_null(False) | pl.col("_cut").is_not_null())
        .then(words.start_at(k + kept + 1) - 1)
        .otherwise("_end")
    )
    return frame.with_columns(char_end=end).select(
        "_para",
        raw=words.text(words.fact("law_at", "wid"), pl.col("char_end"), _NAME_READ + 2),
        doc_type=pl.when(k == 2).then(pl.lit("Bộ luật")).otherwise(pl.lit("Luật")),
        number=pl.lit(None, pl.String),
        year=pl.col("year").cast(pl.Int64),
        issuer_code=pl.lit(None, pl.String),
        issued_on=pl.lit(None, pl.Date),
        char_start="char_start",
        char_end="char_end",
    )


def _constitution(candidates: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """The constitution with its year or the state's name ("Hiến pháp năm 2013", "Hiến pháp nước
    Cộng hòa xã hội chủ nghĩa Việt Nam"); a bare "Hiến pháp" is the idea, not a text."""
    pháp = words.fact("word", "_w1") == "pháp"
    frame = candidates.filter(
        words.fact("law_bound", "wid").fill_null(False)
        & (words.fact("law", "wid") == 3)
        & pháp.fill_null(False)
    )
    word = {i: words.fact("word", words.at(i)) for i in range(2, len(_STATE) + 5)}
    state = pl.all_horizontal(*(word[i + 2].is_in(list(w)) for i, w in enumerate(_STATE)))
    named = (state & word[len(_STATE) + 2].str.starts_with("Nam")).fill_null(False)
    tail = len(_STATE) + 2  # the word "Nam"
    named_year = named & (word[tail] == "Nam") & (word[tail + 1] == "năm")
    named_year = named_year & word[tail + 2].str.contains(r"^(?:19|20)\d{2}")
    dated = ((word[2] == "năm") & word[3].str.contains(r"^(?:19|20)\d{2}")).fill_null(False)
    frame = frame.with_columns(
        char_start=pl.col("start") + words.fact("law_at", "wid"),
        _last=pl.when(named_year.fill_null(False)).then(tail + 2).when(named).then(tail).when(dated).then(3),
        year=pl.when(named_year.fill_null(False))
        .then(word[tail + 2])
        .when(dated)
        .then(word[3])
        .str.slice(0, 4),
    ).filter(pl.col("_last").is_not_null())
    frame = frame.with_columns(
        _end=words.start_at(pl.col("_last")) + pl.when(pl.col("_last") == tail).then(3).otherwise(4)
    )
    frame = frame.with_columns(_prev_end=_prev_end("_end")).filter(
        pl.col("char_start") >= pl.col("_prev_end")
    )
    return frame.filter(~_not_a_law(words)).select(
        "_para",
        raw=words.text(words.fact("law_at", "wid"), pl.col("_end"), tail + 3),
        doc_type=pl.lit("Hiến pháp"),
        number=pl.lit(None, pl.String),
        year=pl.col("year").cast(pl.Int64),
        issuer_code=pl.lit(None, pl.String),
        issued_on=pl.lit(None, pl.Date),
        char_start="char_start",
        char_end="_end",
    )


def extract_documents(tokens: Tokens) -> pl.DataFrame:
    """One row per document cited in the paragraphs, from the token pass over them."""
    words = _Words.of(tokens)
    candidates = _candidates(tokens, words)
    numbered = _numbered(candidates, words)
    numbered = pl.concat(
        [numbered.drop("_more", "_stated_year"), _shared(numbered), _own_numbers(tokens, words)]
    )
    named = pl.concat([_laws(candidates, words), _constitution(candidates, words)])
    # A name inside a numbered citation is that citation.
    inside = (
        named.select("_para", "char_start")
        .join(numbered.select("_para", s="char_start", e="char_end"), on="_para")
        .filter((pl.col("char_start") >= pl.col("s")) & (pl.col("char_start") < pl.col("e")))
    )
    named = named.join(inside, on=["_para", "char_start"], how="anti")
    found = pl.concat([numbered, named])
    keys = {key: pl.lit(tokens.paragraphs[key]).gather(pl.col("_para")) for key in KEYS}
    return (
        found.with_columns(**keys)
        .sort(*KEYS, "char_start")
        .with_columns(ref_id=span_id())
        .select("ref_id", *_OUT)
    )
