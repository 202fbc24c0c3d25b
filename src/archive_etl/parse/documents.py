"""Documents cited: "Nghị quyết số 15-NQ/TU, ngày 04/7/2017", "Luật số: 59/2020/QH14", "Kế
hoạch số 03, 04", "Luật Đất đai 2013", "Hiến pháp năm 2013" — read from the token pass.

How it works, vectorised over the batch:
1. The words that may open a citation bear the mark `d_noun` (they end with a document noun's
   first word); the noun they open is looked up by the codes of its words (`_NOUN_KEYS`).
2. numbered: after the noun, an issuer or name then "số" (`mid`), "số", or the number itself;
3. laws and codes cited by name ("Luật Đầu tư", "Bộ luật Hình sự"), with the year when written,
   and the constitution with its year ("Hiến pháp năm 2013");
4. a document's own number at the head of a law or decree ("Số: 51/2005/QH11", mark `d_so`):
   its type is read from the code.
Each rule reads the words at shifts from its candidate; what it asks of a word is asked once per
distinct word (`_Words`: of every word, of the few bearing a mark, of the words read).
Candidates that overlap are decided as a regex search would, left to right (`_search`: a loop
over the runs of overlapping candidates only). A named law inside a numbered citation is
dropped ("Luật Đất đai số 13/2003/QH11" is one).
What is not a citation: a count of documents ("06 Kế hoạch"), a verb with a count ("thông báo
5 ca"), a self-reference ("Luật này"), a lawyer ("Luật sư"), a firm ("Công ty Luật").

Where a regex still reads text: the number with its year and issuer code, the other numbers
sharing its noun and the date stated after it (`_TAIL`, `_shared`). They are a grammar of
characters that spaces may or may not split ("15-NQ/TU", "01- CT/TU", "QH 11", ", ngày
04/7/2017", "ký ngày 18 tháng 11 năm 2016"), so the text from the number on is rebuilt from
`_WINDOW` words (more where a list runs on) and read once per distinct such text.

Every candidate reads a bounded number of words, and matches are compared by running maxima
and sorted search, never joined within a paragraph, so a paragraph of megabytes costs what its
words cost: no paragraph is cut into sentences, and no text is sliced per candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    TYPE_OF_CODE,
)
from archive_etl.parse.spans import sentence_around, span_id, spans
from archive_etl.parse.tokens import KEYS, Tokens, gather
from archive_etl.schema import DOCUMENT_REF


def _spellings() -> dict[str, str]:
    """Every way a document noun is written — lower-case, capitalised, title-case, in capitals —
    to its normalised name ("Nghị Quyết" -> "Nghị quyết")."""
    out: dict[str, str] = {}
    for noun, name in DOC_NOUNS.items():
        title = " ".join(w[:1].upper() + w[1:] for w in noun.split())
        for spelling in (noun, noun[:1].upper() + noun[1:], title, noun.upper()):
            out.setdefault(spelling, name)
    return out


_SPELLINGS = _spellings()
_FIRST_WORDS = sorted({s.split(" ")[0] for s in _SPELLINGS}, key=len, reverse=True)
_LATER_WORDS = sorted({w for s in _SPELLINGS for w in s.split(" ")[1:]})
_NOUN_WORDS = max(s.count(" ") for s in _SPELLINGS) + 1
# A noun is looked up by its words' codes, digits of a number in base `_BASE` (no code is 0, so
# nouns of different lengths never share a key): integers, not strings, for 100,000s of words.
_CODES = {word: i for i, word in enumerate(sorted({w for s in _SPELLINGS for w in s.split(" ")}), start=1)}
_BASE = len(_CODES) + 1


def _key(spelling: str) -> int:
    """A spelling's key: its words' codes as the digits of one number."""
    key = 0
    for word in spelling.split(" "):
        key = key * _BASE + _CODES[word]
    return key


_NOUN_KEYS = {_key(spelling): name for spelling, name in _SPELLINGS.items()}
_ONE_WORD = sorted(s for s in _SPELLINGS if " " not in s)
# The words the document rules read: those ending with a noun's first word (a noun glued to the
# letters before it is found, and then dropped) or "bộ" in any case ("BỘ Luật", "bộ luật"), and
# a paragraph's "Số" (its own number).
MARKS: dict[str, pl.Expr] = {
    "d_noun": pl.col("word").str.contains(f"(?:{'|'.join(_FIRST_WORDS)})$")
    | pl.col("lower").str.ends_with("bộ"),
    "d_so": pl.col("word").str.contains("^(?:Số|SỐ)"),
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
# Words the tail is read from: the number's, and enough after it for a code, a list and a date;
# a list that runs past them is read again from `_LIST_WORDS` (the old reading: 1,000 characters).
_WINDOW = 12
_LIST_WORDS = 256
# The most words a date of issue takes: ", ( ban hành ngày 18 / 11 / 2016".
_DATE_WORDS = 10
_COUNTED = sorted(CLASSIFIERS | DURATION_UNITS | MEASURE_UNITS | MONEY_UNITS | {"%"})
# Words of a law's name that end it ("Luật Đầu tư được ..."), unless they may sit inside one.
_NAME_STOPS = sorted(LAW_NAME_STOP - LAW_NAME_WORDS)
# Before these, "Luật ..." is a firm or a school, not a law: "Công ty Luật TNHH", "Đại học Luật";
# a pair's second word to its code, and the first word's ending with that code.
_NOT_A_LAW_AFTER = ("hãng", "trường", "khoa", "đoàn")
_NOT_A_LAW_PAIRS = {"ty": ("công", 1), "phòng": ("văn", 2), "học": ("đại", 3)}
# The constitution cited by the state's name, word by word after "Hiến pháp"; then "Nam".
_STATE = (("nước",), ("Cộng",), ("hòa", "hoà"), ("xã",), ("hội",), ("chủ",), ("nghĩa",), ("Việt",))
_NAM = len(_STATE) + 2
# Name words read after "số" is looked for, at most, and words after a law's noun: seven of its
# name, "Việt Nam", "năm" and the year.
_MID_WORDS = 5
_NAME_READ = 11
_WORD_CHAR = r"[\p{L}\p{M}\p{N}_]"

# A citation as each rule finds it, by paragraph (`_para`).
_CITED = pl.Schema(
    {"_para": pl.UInt32, "raw": pl.String, "doc_type": pl.String, "number": pl.String, "year": pl.Int64,
     "issuer_code": pl.String, "issued_on": pl.Date, "char_start": pl.Int64, "char_end": pl.Int64}
)  # fmt: skip


def _every_word_facts() -> dict[str, pl.Expr]:
    """What the rules ask of every word that may follow a noun: cheap look-ups."""
    word, lower = pl.col("word"), pl.col("lower")
    return {
        "code": word.replace_strict(_CODES, default=None, return_dtype=pl.Int64),
        # a noun's later word, or "luật" in any case (after "bộ")
        "later": word.is_in(_LATER_WORDS) | (lower == "luật"),
        "is_luat": lower == "luật",
        "is_phap": word == "pháp",
        # what may stand after a noun: a number, "số", or a capitalised name before "số"
        "opens": word.str.contains(r"^(?:\d|số|Số|SỐ|\p{Lu})"),
    }


def _noun_facts() -> dict[str, pl.Expr]:
    """What the rules ask of a word that may open a citation (bearing `d_noun`)."""
    word, lower = pl.col("word"), pl.col("lower")
    head = word.str.extract(f"({'|'.join(_FIRST_WORDS)})$", 1)
    law = pl.when(lower.str.ends_with("bộ")).then(word.str.slice(-2))
    law = law.otherwise(word.str.extract("(Luật|LUẬT|Hiến)$", 1))
    head_before = word.str.slice(0, pl.col("chars") - head.str.len_chars())
    law_at = pl.col("chars") - law.str.len_chars().cast(pl.Int64)
    # "Luật" or "LUẬT" (1), "bộ" in any case (2), "Hiến" (3), after a word boundary
    kind = (
        pl.when(law.str.to_lowercase() == "bộ")
        .then(2)
        .when(law == "Hiến")
        .then(3)
        .when(law.is_not_null())
        .then(1)
    )
    bound = ~word.str.slice(0, law_at).str.contains(f"{_WORD_CHAR}$")
    return {
        "head": head,
        "head_code": head.replace_strict(_CODES, default=None, return_dtype=pl.Int64),
        "head_at": pl.col("chars") - head.str.len_chars().cast(pl.Int64),
        # after a letter or a digit: no citation, but the search has passed over it
        "head_glued": head_before.str.contains(r"[\p{L}\p{N}]$"),
        "head_lower": head.str.contains(r"^\p{Ll}"),
        "single": head.is_in(_ONE_WORD),
        "law": pl.when(bound).then(kind),
        "law_at": law_at,
    }


def _read_facts() -> dict[str, pl.Expr]:
    """What the rules ask of the words they read after a noun: once per distinct word read."""
    word, lower = pl.col("word"), pl.col("lower")
    # A law's name is read in runs of letters: a capitalised word ending at a word boundary or
    # lower-case letters; a run shorter than its word ends the name inside the word.
    cap = word.str.extract(r"^(\p{Lu}[\p{Ll}\p{M}]*)\b", 1)
    low = word.str.extract(r"^(\p{Ll}[\p{Ll}\p{M}]*)", 1)
    run = pl.coalesce(cap, low)
    so = word.str.extract(r"^((?:số|Số|SỐ):?)(?:\d|$)", 1)
    # Where a word's ending that makes "Luật" after it no law starts in it: "thị trường", "Công" (ty).
    ending_at = pl.coalesce(*(pl.when(lower.str.ends_with(w)).then(len(w)) for w in _NOT_A_LAW_AFTER))
    pair_first, pair_at = pl.lit(0), pl.lit(None, pl.Int64)
    for first, code in _NOT_A_LAW_PAIRS.values():
        pair_first = pl.when(lower.str.ends_with(first)).then(code).otherwise(pair_first)
        pair_at = pl.when(lower.str.ends_with(first)).then(len(first)).otherwise(pair_at)
    # "số" (1), "số:" (2), "số:15" or "số15" (3: the number starts at `so_len`)
    so_kind = pl.when(so.is_null()).then(0).when(so != word).then(3).when(so.str.ends_with(":")).then(2)
    # a number (1), ":15" (2), ":" (3)
    lead = pl.when(word.str.contains(r"^\d")).then(1).when(word.str.contains(r"^:\d")).then(2)
    return {
        "so": so_kind.otherwise(1),
        "so_len": so.str.len_chars().cast(pl.Int64),
        "lead": lead.when(word == ":").then(3).otherwise(0),
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
        "not_law_at": pl.col("chars") - ending_at,
        "pair_second": lower.replace_strict(
            {second: code for second, (_, code) in _NOT_A_LAW_PAIRS.items()}, default=0, return_dtype=pl.Int32
        ),
        "pair_first": pair_first,
        "pair_at": pl.col("chars") - pair_at,
    }


@dataclass(frozen=True)
class _Words:
    """The words of a batch, read at shifts from candidate words (`_rw`, their row in the word
    frame; `pos`; `_plen`, their paragraph's length in words): ids and offsets by row, and the
    facts of the distinct words by id (`facts`: null for a word whose facts were not asked)."""

    wid: pl.Series
    start: pl.Series
    facts: pl.DataFrame

    @staticmethod
    def of(tokens: Tokens) -> _Words:
        vocab = tokens.vocab.select("word", "lower", "chars")
        facts = vocab.lazy().with_columns(**_every_word_facts()).collect()
        words = _Words(tokens.words["wid"], tokens.words["start"].cast(pl.Int64), facts)
        return words.learn(_noun_facts(), tokens.vocab.filter(pl.col("d_noun"))["wid"])

    def learn(self, facts: dict[str, pl.Expr], wids: pl.Series) -> _Words:
        """These words with `facts`, asked of the words `wids` only."""
        wids = wids.drop_nulls().unique()
        found = self.facts.select("word", "lower", "chars")[wids].lazy().select(**facts).collect()
        # Each word's row among those asked; null for the others.
        row = pl.repeat(None, self.facts.height, dtype=pl.UInt32, eager=True)
        row = row.scatter(wids, pl.int_range(wids.len(), dtype=pl.UInt32, eager=True))
        return _Words(self.wid, self.start, self.facts.hstack(found.select(pl.all().gather(row))))

    def at(self, i: int | pl.Expr) -> pl.Expr:
        """The id of the word `i` places after the candidate (before it when negative); null
        outside its paragraph."""
        pos = pl.col("pos") + i
        inside = pos >= 0 if isinstance(i, int) and i < 0 else pos < pl.col("_plen")
        return pl.when(inside).then(pl.lit(self.wid).gather((pl.col("_rw") + i).clip(0, self.wid.len() - 1)))

    def start_at(self, i: int | pl.Expr) -> pl.Expr:
        """The offset in its paragraph of the word `i` places after the candidate."""
        return pl.lit(self.start).gather((pl.col("_rw") + i).clip(0, self.wid.len() - 1))

    def fact(self, name: str, wid: str | pl.Expr) -> pl.Expr:
        """Fact `name` of the word whose id is `wid` (a column or an expression)."""
        return gather(self.facts[name], wid)

    @staticmethod
    def text(pieces: list[tuple[pl.Expr, pl.Expr]], end: pl.Expr) -> pl.Expr:
        """Words in reading order (their text and offset in the paragraph) as written, up to
        offset `end`: the text rebuilt from the words, not sliced from the paragraph."""
        kept = (pl.when(start < end).then(word.str.slice(0, (end - start).clip(0))) for word, start in pieces)
        return pl.concat_str(kept, separator=" ", ignore_nulls=True)


def _candidates(tokens: Tokens, words: _Words) -> pl.DataFrame:
    """The words bearing `d_noun` that open a noun alone or with the word after them (`_w1`),
    with their paragraph's length in words."""
    frame = tokens.bearing("d_noun").select(
        "_para", "wid", _rw=pl.col("_rw").cast(pl.Int64), pos=pl.col("pos").cast(pl.Int64), start="start"
    )
    # The next row's word first, whatever its paragraph: the few candidates left check it.
    following = pl.lit(words.wid).gather((pl.col("_rw") + 1).clip(0, words.wid.len() - 1))
    frame = frame.filter((words.fact("single", "wid") | words.fact("later", following)).fill_null(False))
    return frame.with_columns(_plen=pl.lit(tokens.lengths).gather(pl.col("_para"))).with_columns(
        _w1=words.at(1)
    )


def _spelled(candidates: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """The document noun each candidate opens, its longest spelling: `_k` words, `doc_type`
    normalised; candidates that open none are dropped."""
    frame = candidates.filter(words.fact("head_code", "wid").is_not_null())
    frame = frame.with_columns(**{f"_w{i}": words.at(i) for i in range(2, _NOUN_WORDS)})
    keys = [words.fact("head_code", "wid")]
    for i in range(1, _NOUN_WORDS):
        keys.append(keys[-1] * _BASE + words.fact("code", f"_w{i}"))
    known = sorted(_NOUN_KEYS)
    frame = frame.with_columns(**{f"_key{i}": key for i, key in enumerate(keys)})
    k, key = pl.lit(None, pl.Int64), pl.lit(None, pl.Int64)
    for i in range(_NOUN_WORDS):
        spelled = pl.col(f"_key{i}").is_in(known).fill_null(False)
        k, key = (
            pl.when(spelled).then(i + 1).otherwise(k),
            pl.when(spelled).then(pl.col(f"_key{i}")).otherwise(key),
        )
    frame = frame.with_columns(_k=k, _key=key).filter(pl.col("_k").is_not_null()).drop(pl.col("^_key\\d$"))
    return frame.with_columns(doc_type=pl.col("_key").replace_strict(_NOUN_KEYS, return_dtype=pl.String))


def _after_nouns(spelled: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """The nouns something may follow (a number, "số", a name), with the ids of the words after
    them (`_m0`..): those the numbered rule reads."""
    frame = spelled.with_columns(_m0=words.at(pl.col("_k"))).filter(
        words.fact("opens", "_m0").fill_null(False)
    )
    return frame.with_columns(**{f"_m{i}": words.at(pl.col("_k") + i) for i in range(1, _MID_WORDS + 3)})


def _number_after_so(at: int) -> tuple[pl.Expr, pl.Expr]:
    """Where the number after a "số" at `_m{at}` starts (`số\\s*:?\\s*\\d`): how many words
    after it, and at which character of that word; null words when no number follows."""
    so, lead1, lead2 = pl.col(f"_so{at}"), pl.col(f"_lead{at + 1}"), pl.col(f"_lead{at + 2}")
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
    char = pl.when(so == 3).then(pl.col(f"_so_len{at}")).when((so == 1) & (lead1 == 2)).then(1).otherwise(0)
    return words_on, char


def _number_start(frame: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """After the noun: an issuer or name, then "số" (`_mid`); "số" (`_so`); or the number. `_nt`,
    the number's word counted from the candidate's, and `_no`, its first character in it; rows
    with no number are dropped."""
    read = range(_MID_WORDS + 3)
    frame = frame.with_columns(
        **{f"_{name}{i}": words.fact(name, f"_m{i}") for name in ("so", "so_len", "lead") for i in read},
        **{f"_mid{i}": words.fact("mid", f"_m{i}").fill_null(False) for i in read},
        _mid_first=words.fact("mid_first", "_m0").fill_null(False),
    )
    # The fewest name words before "số" ("tờ trình Chính phủ số 5"): a capitalised word, then
    # words of letters.
    mid_words, mid_char = pl.lit(None, pl.Int64), pl.lit(None, pl.Int64)
    for j in range(_MID_WORDS, 0, -1):
        on, char = _number_after_so(j)
        found = pl.all_horizontal("_mid_first", *(f"_mid{i}" for i in range(1, j))) & on.is_not_null()
        mid_words = pl.when(found).then(j + on).otherwise(mid_words)
        mid_char = pl.when(found).then(char).otherwise(mid_char)
    so_words, so_char = _number_after_so(0)
    frame = frame.with_columns(_mid_words=mid_words, _mid_char=mid_char, _so_words=so_words, _so_char=so_char)
    mid, so = pl.col("_mid_words").is_not_null(), pl.col("_so_words").is_not_null()
    plain = pl.when(pl.col("_lead0") == 1).then(0)
    return frame.with_columns(
        _mid=mid,
        _so=~mid & so,
        _nt=pl.col("_k") + pl.coalesce("_mid_words", "_so_words", plain),
        _no=pl.when(mid).then("_mid_char").when(so).then("_so_char").otherwise(0),
    ).filter(pl.col("_nt").is_not_null())


def _tail_facts() -> dict[str, pl.Expr]:
    """What the numbered rule asks of the groups of `_TAIL`: once per distinct text."""
    after = pl.col("after").str.to_lowercase()
    return {
        "_num_len": pl.col("num").str.len_chars().cast(pl.Int64),
        "_stated": pl.col("dated").fill_null("") != "",
        # "06 Kế hoạch", "kế hoạch 5 năm": a count of documents, the span of a plan
        "_counted": (pl.col("more").fill_null("") == "") & after.is_in(_COUNTED).fill_null(False),
        "_year_number": pl.col("number").str.contains(r"^(?:19|20)\d{2}$"),
        "_year": pl.coalesce("year", "stated_year").cast(pl.Int64, strict=False),
        # a document's own number: its type from its code ("QH11" is a law)
        "_code_type": pl.col("code").str.extract(r"^(\p{L}+)", 1).replace_strict(TYPE_OF_CODE, default=None),
        "issued_on": _issued(),
    }


def _tail(frame: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """The groups of `_TAIL` read from the text from each candidate's number on (`_nt`, `_no`),
    rebuilt from `_WINDOW` words, with `_tail_facts`: once per distinct text, and again from
    more words where a list of numbers runs on; `_num_start`, `raw_end`."""
    nt = pl.col("_nt")
    ids = [f"_t{i}" for i in range(_WINDOW)]
    frame = frame.with_columns(
        _num_start=words.start_at(nt) + pl.col("_no"), **{t: words.at(nt + i) for i, t in enumerate(ids)}
    )
    # Distinct by the words' ids, so that only distinct windows are rebuilt as text.
    distinct = frame.select("_no", *ids).unique()
    first = words.fact("word", "_t0").str.slice(pl.col("_no"))
    text = pl.concat_str([first, *(words.fact("word", t) for t in ids[1:])], separator=" ", ignore_nulls=True)
    parsed = _tail_groups(distinct.with_columns(_text=text, _full=pl.col(ids[-1]).is_not_null()))
    frame = frame.join(parsed, on=["_no", *ids], how="left", maintain_order="left", nulls_equal=True)
    frame = frame.with_row_index("_i")
    for read in (4 * _WINDOW, _LIST_WORDS):
        if frame["_runs_on"].any():
            again = _long_tail(frame.filter("_runs_on"), words, read)
            frame = frame.update(again, on="_i", include_nulls=True)
    return frame.drop("_i").with_columns(raw_end=pl.col("_num_start") + pl.col("_num_len"))


def _tail_groups(texts: pl.DataFrame) -> pl.DataFrame:
    """The groups of `_TAIL` in each `_text`, with `_tail_facts`, and `_runs_on`: in a text as
    long as was read (`_full`), no date follows the match, what follows may go on with the list
    or open a date, and too few words are left for one (a list may run on past them)."""
    parsed = texts.with_columns(g=pl.col("_text").str.extract_groups(_TAIL)).unnest("g")
    used = pl.col("num").str.len_chars() + pl.col("more").fill_null("").str.len_chars()
    rest = pl.col("_text").str.slice(used)
    opens = rest.str.contains(r"^\s*(?:,|\(|và|ngày|ký|ban|ra|năm)")
    runs_on = (
        pl.col("_full") & pl.col("dated").is_null() & opens & (rest.str.count_matches(" ") < _DATE_WORDS)
    )
    return parsed.with_columns(**_tail_facts(), _runs_on=runs_on).drop("_text", "_full")


def _long_tail(rows: pl.DataFrame, words: _Words, read: int) -> pl.DataFrame:
    """`_tail_groups` of rows whose list of numbers runs past the window (`_i`), read again from
    `read` words: a few rows, their words gathered by row ranges, not one column each."""
    first = pl.col("_rw") + pl.col("_nt")
    count = pl.min_horizontal(pl.col("_plen") - pl.col("pos") - pl.col("_nt"), pl.lit(read))
    exploded = rows.select("_i", "_no", row=pl.int_ranges(first, first + count)).explode("row")
    exploded = exploded.with_columns(word=words.fact("word", pl.lit(words.wid).gather(pl.col("row"))))
    texts = exploded.group_by("_i", maintain_order=True).agg(
        pl.col("_no").first(), _text=pl.col("word").str.join(" "), _full=pl.len() == read
    )
    return _tail_groups(texts.with_columns(_text=pl.col("_text").str.slice(pl.col("_no")))).drop("_no")


def _search(frame: pl.DataFrame, end: str) -> pl.DataFrame:
    """The matches a regex search finds among candidates in reading order (`char_start` to
    `end`): left to right and never overlapping, so a candidate starting inside one found before
    it is none. With `_prev_end`, the end of the match before each in its paragraph (0: none).

    The paragraph and the offset are one integer (the paragraph first), so that running maxima
    over the batch stay within paragraphs. A candidate overlapping none before it is found;
    where candidates overlap ("Bộ Luật X" and its "Luật X"), which are found depends on which
    before them were, a scan with state that no column expression says: those runs, of a few
    rows each, are read in a loop."""
    para = pl.col("_para").cast(pl.Int64) * 2**32
    spans = frame.select(start=para + pl.col("char_start"), stop=para + pl.col(end))
    found = (spans["start"] >= spans["stop"].cum_max().shift(1)).fill_null(True)
    if not found.all():
        runs = spans.with_columns(run=found.cum_sum(), row=pl.int_range(pl.len())).filter(
            pl.len().over("run") > 1
        )
        kept, run_seen, last = [], None, 0
        for run, start, stop, row in runs.select("run", "start", "stop", "row").iter_rows():
            if run != run_seen:
                run_seen, last = run, stop
            elif start >= last:
                kept.append(row)
                last = stop
        found = found.scatter(kept, True) if kept else found
    para_before = pl.col("_para").shift(1) == pl.col("_para")
    return frame.filter(found).with_columns(
        _prev_end=pl.when(para_before).then(pl.col(end).shift(1)).otherwise(0)
    )


def _issued() -> pl.Expr:
    """The date of issue; a date that does not exist (31/02) is not guessed at: null."""
    return pl.concat_str(
        pl.col("date_year"), pl.col("month").str.zfill(2), pl.col("day").str.zfill(2), separator="-"
    ).str.to_date("%Y-%m-%d", strict=False)


def _numbered_raw(words: _Words) -> pl.Expr:
    """A numbered citation as written: the noun's words, those up to the number's, and the
    number as `_TAIL` read it (it may span words: "01- CT/TU")."""
    k, upto = pl.col("_k"), pl.col("_nt") - pl.col("_k")
    noun = [words.fact("head", "wid")]
    noun += [pl.when(k > i).then(words.fact("word", f"_w{i}")) for i in range(1, _NOUN_WORDS)]
    between = []
    for i in range(_MID_WORDS + 3):
        word = words.fact("word", f"_m{i}")
        between.append(
            pl.when(upto > i)
            .then(word)
            .when(upto == i)
            .then(word.str.slice(0, pl.col("_no")) + pl.col("num"))
        )
    return pl.concat_str([*noun, *between], separator=" ", ignore_nulls=True)


def _numbered(after_nouns: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """Citations with a number: the noun, an issuer or name with "số", or "số", then the number."""
    frame = _tail(_number_start(after_nouns, words), words)
    frame = frame.with_columns(char_start=pl.col("start") + words.fact("head_at", "wid"))
    # A noun glued to a letter or a digit is none, unless a citation ends right there: "Luật
    # 5Luật 59/2020/QH14" is two, a space missing.
    frame = _search(frame, "raw_end")
    frame = frame.filter(~(words.fact("head_glued", "wid") & (pl.col("_prev_end") != pl.col("char_start"))))
    bare = pl.col("code").is_null() & ~pl.col("_so") & ~pl.col("_mid")
    # A bare number after a lower-case noun cites only with a leading zero: "chương trình 01",
    # not "kế hoạch 5".
    cited = ~words.fact("head_lower", "wid") | pl.col("number").str.starts_with("0")
    keep = ~bare | pl.col("_stated") | (~pl.col("_counted") & ~pl.col("_year_number") & cited)
    return frame.filter(keep).select(
        "_para",
        raw=_numbered_raw(words),
        doc_type="doc_type",
        number="number",
        year="_year",
        issuer_code="code",
        issued_on="issued_on",
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
    rows = numbered.filter(pl.col("_more").fill_null("") != "")
    if rows.is_empty():
        return pl.DataFrame(schema=_CITED)
    rows = rows.select(
        "_para", "doc_type", "issued_on", "_stated_year", _coded=pl.col("issuer_code").is_not_null(),
        _start="char_end", text="_more", _id=pl.int_range(pl.len()),
    )  # fmt: skip
    found = spans(rows.lazy(), _NUMBER, keys=("_id",)).collect()
    found = found.join(rows.drop("text"), on="_id", how="left", maintain_order="left")
    found = found.with_columns(g=pl.col("match").str.extract_groups(f"^{_NUMBER}$")).unnest("g")
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


def _heads(tokens: Tokens, words: _Words) -> pl.DataFrame:
    """The paragraphs that open with "Số" or "SỐ", with the ids of their first three words."""
    frame = tokens.bearing("d_so").filter(pl.col("pos") == 0)
    frame = frame.select("_para", "wid", _rw=pl.col("_rw").cast(pl.Int64), pos=pl.lit(0, pl.Int64))
    frame = frame.with_columns(_plen=pl.lit(tokens.lengths).gather(pl.col("_para")), _k=pl.lit(0, pl.Int64))
    return frame.with_columns(**{f"_m{i}": words.at(i) for i in range(3)})


def _own_numbers(heads: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """A law's or decree's own number at its head ("Số: 51/2005/QH11"): the type from the code
    ("QH11" is a law)."""
    frame = heads.with_columns(
        **{f"_{name}{i}": words.fact(name, f"_m{i}") for name in ("so", "so_len", "lead") for i in range(3)}
    )
    on, char = _number_after_so(0)
    frame = frame.with_columns(_nt=on, _no=char).filter(pl.col("_nt").is_not_null())
    frame = _tail(frame, words)
    before = words.text(
        [(words.fact("word", f"_m{i}"), words.start_at(i)) for i in range(3)], pl.col("_num_start")
    )
    return frame.filter(pl.col("_code_type").is_not_null()).select(
        "_para",
        raw=pl.concat_str(before, pl.when(pl.col("_no") == 0).then(pl.lit(" ")).otherwise(pl.lit("")), "num"),
        doc_type="_code_type",
        number="number",
        year=pl.col("year").cast(pl.Int64, strict=False),
        issuer_code="code",
        issued_on=pl.lit(None, pl.Date),
        char_start=pl.lit(0, pl.Int64),
        char_end="raw_end",
    )


def _law_nouns(candidates: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """ "Luật", "bộ luật" in any case and "Hiến pháp" after a word boundary (`_law`; `_k` words),
    with the ids of the words after them (`_n0`..) and of the two before (`_b1`, `_b2`): those
    the named rules read."""
    law = words.fact("law", "wid")
    second = (
        pl.when(law == 2).then(words.fact("is_luat", "_w1")).when(law == 3).then(words.fact("is_phap", "_w1"))
    )
    frame = candidates.filter(((law == 1) | second).fill_null(False))
    frame = frame.with_columns(_law=law, _k=pl.when(law == 1).then(1).otherwise(2))
    return frame.with_columns(
        **{f"_n{i}": words.at(pl.col("_k") + i) for i in range(_NAME_READ)},
        _b1=words.at(-1),
        _b2=words.at(-2),
    )


def _named_raw(words: _Words, end: pl.Expr) -> pl.Expr:
    """A law or the constitution cited by name as written, up to offset `end`: the noun's words
    (`_k`) and those after it (`_n0`..)."""
    k = pl.col("_k")
    noun = [
        (words.fact("word", "wid").str.slice(words.fact("law_at", "wid")), pl.col("char_start")),
        (pl.when(k == 2).then(words.fact("word", "_w1")), words.start_at(1)),
    ]
    return words.text(
        [*noun, *((words.fact("word", f"_n{i}"), words.start_at(k + i)) for i in range(_NAME_READ))], end
    )


def _not_a_law(words: _Words) -> pl.Expr:
    """ "Công ty Luật", "Đại học Luật", "thị trường Luật": the words before the noun make it a
    firm's or a school's name, when they come after the match before it (`_prev_end`)."""
    after_one = words.start_at(-1) + words.fact("not_law_at", "_b1") >= pl.col("_prev_end")
    second = words.fact("pair_second", "_b1")
    pair = (
        (second > 0)
        & (words.fact("pair_first", "_b2") == second)
        & (words.start_at(-2) + words.fact("pair_at", "_b2") >= pl.col("_prev_end"))
    )
    return ((words.fact("law_at", "wid") == 0) & (after_one | pair)).fill_null(False)


def _law_name(frame: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """A named law's name after its noun: runs of letters, a capitalised or lower-case first and
    up to six lower-case after, then "Việt Nam" and the year when written. `_last`, `_last_len`:
    where the match ends (words after the noun, characters of that word); `_cut`: the first word
    that cannot belong to a law's name ("năm" of a year among them)."""

    def fact(name: str, i: int) -> pl.Expr:
        return words.fact(name, f"_n{i}")

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
    last, k = pl.col("_last"), pl.col("_k")
    after = {"_a1": words.at(k + last + 1), "_a2": words.at(k + last + 2)}
    frame = frame.with_columns(**after)
    country = (pl.col("_whole") & words.fact("viet", "_a1") & words.fact("nam_head", "_a2")).fill_null(False)
    frame = frame.with_columns(
        _country=country,
        _last=pl.when(country).then(last + 2).otherwise(last),
        _last_len=pl.when(country).then(3).otherwise("_last_len"),
        _whole=pl.when(country).then(words.fact("nam", "_a2")).otherwise("_whole"),
    ).with_columns(**after)
    year1, year2 = words.fact("year4", "_a1"), words.fact("year4", "_a2")
    year_next = (pl.col("_whole") & year1.is_not_null()).fill_null(False)
    year_after = (pl.col("_whole") & words.fact("nam_word", "_a1") & year2.is_not_null()).fill_null(False)
    return frame.with_columns(
        year=pl.when(year_next).then(year1).when(year_after).then(year2),
        _cut=pl.when(pl.col("_cut").is_null() & year_after).then(last + 1).otherwise("_cut"),
        _last=pl.when(year_next).then(last + 1).when(year_after).then(last + 2).otherwise(last),
        _last_len=pl.when(year_next | year_after).then(4).otherwise("_last_len"),
    )


def _laws(nouns: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """Laws and codes cited by name: "Luật Ngân sách nhà nước", "Bộ luật dân sự", "Luật Đất đai
    2013"; the name ends before the first word that cannot be part of it ("Luật Đầu tư được
    ...", but "Luật Hôn nhân và gia đình")."""
    k = pl.col("_k")
    frame = nouns.with_columns(char_start=pl.col("start") + words.fact("law_at", "wid"))
    frame = _law_name(frame, words)
    frame = frame.with_columns(_end=words.start_at(k + pl.col("_last")) + pl.col("_last_len"))
    frame = _search(frame, "_end").filter(~words.fact("run_first_stop", "_n0") & ~_not_a_law(words))
    # The last word kept, unless a "và" is ("Luật Đầu tư và các văn bản": "và" goes too).
    kept = pl.when(pl.col("_cut").is_not_null()).then(pl.col("_cut") - 1)
    kept = kept.when(~pl.col("_country") & pl.col("year").is_null()).then("_last")
    conjunction = ((kept > 0) & words.fact("low_and", words.at(k + kept))).fill_null(False)
    kept = pl.when(conjunction).then(kept - 1).otherwise(kept)
    end = pl.when(conjunction | pl.col("_cut").is_not_null()).then(words.start_at(k + kept + 1) - 1)
    frame = frame.with_columns(char_end=end.otherwise("_end"))
    return _named_citation(
        frame, words, pl.when(k == 2).then(pl.lit("Bộ luật")).otherwise(pl.lit("Luật")), pl.col("char_end")
    )


def _named_citation(frame: pl.DataFrame, words: _Words, doc_type: pl.Expr, end: pl.Expr) -> pl.DataFrame:
    """The rows of a document cited by name, not number (a law, the constitution): its year the
    only part of a code it has."""
    return frame.select(
        "_para",
        raw=_named_raw(words, end),
        doc_type=doc_type,
        number=pl.lit(None, pl.String),
        year=pl.col("year").cast(pl.Int64),
        issuer_code=pl.lit(None, pl.String),
        issued_on=pl.lit(None, pl.Date),
        char_start="char_start",
        char_end=end,
    )


def _constitution(nouns: pl.DataFrame, words: _Words) -> pl.DataFrame:
    """The constitution with its year or the state's name ("Hiến pháp năm 2013", "Hiến pháp nước
    Cộng hòa xã hội chủ nghĩa Việt Nam"); a bare "Hiến pháp" is the idea, not a text."""

    # The words from the third on: `_n0` follows "Hiến pháp".
    def fact(name: str, i: int) -> pl.Expr:
        return words.fact(name, f"_n{i - 2}")

    state = pl.all_horizontal(*(fact("word", i + 2).is_in(list(w)) for i, w in enumerate(_STATE)))
    named = (state & fact("nam_head", _NAM)).fill_null(False)
    named_year = (
        named & fact("nam", _NAM) & fact("nam_word", _NAM + 1) & fact("year4", _NAM + 2).is_not_null()
    )
    named_year = named_year.fill_null(False)
    dated = (fact("nam_word", 2) & fact("year4", 3).is_not_null()).fill_null(False)
    frame = nouns.with_columns(
        char_start=pl.col("start") + words.fact("law_at", "wid"),
        _last=pl.when(named_year).then(_NAM + 2).when(named).then(_NAM).when(dated).then(3),
        year=pl.when(named_year).then(fact("year4", _NAM + 2)).when(dated).then(fact("year4", 3)),
    ).filter(pl.col("_last").is_not_null())
    last = pl.col("_last")
    frame = frame.with_columns(_end=words.start_at(last) + pl.when(last == _NAM).then(3).otherwise(4))
    frame = _search(frame, "_end").filter(~_not_a_law(words))
    return _named_citation(frame, words, pl.lit("Hiến pháp"), pl.col("_end"))


def _inside(rows: pl.DataFrame, citations: pl.DataFrame) -> pl.Series:
    """Whether each of `rows` starts inside one of `citations` in its paragraph: a sorted search
    on the paragraph and the offset in one integer, not a join per paragraph (a page flattened to
    one paragraph holds thousands of each)."""
    if citations.is_empty():
        return pl.repeat(False, rows.height, eager=True)
    para = pl.col("_para").cast(pl.Int64) * 2**32
    spans = citations.select(start=para + pl.col("char_start"), end=para + pl.col("char_end")).sort("start")
    # The furthest end of the citations starting at or before each row: an end in an earlier
    # paragraph is below the row's offset, whatever it is.
    ends = spans["end"].cum_max()
    starts = rows.select(para + pl.col("char_start")).to_series()
    before = spans["start"].search_sorted(starts, side="right").cast(pl.Int64) - 1
    return (before >= 0) & (starts < ends.gather(before.clip(0)))


def _rule(
    rule: Callable[[pl.DataFrame, _Words], pl.DataFrame], candidates: pl.DataFrame, words: _Words
) -> pl.DataFrame:
    """`rule` applied to its candidates, none when there are none: planning a rule's steps costs
    more than reading a few rows, and most batches cite no law by name."""
    return rule(candidates, words) if candidates.height else pl.DataFrame(schema=_CITED)


def extract_documents(tokens: Tokens) -> pl.DataFrame:
    """One row per document cited in the paragraphs, from the token pass over them."""
    words = _Words.of(tokens)
    candidates = _candidates(tokens, words)
    after_nouns = _after_nouns(_spelled(candidates, words), words)
    law_nouns, heads = _law_nouns(candidates, words), _heads(tokens, words)
    # The facts of the words read after the candidates, asked once of each distinct one.
    read = [
        after_nouns.select(pl.col("^_m\\d$")),
        law_nouns.select(pl.col("^_[nb]\\d+$")),
        heads.select(pl.col("^_m\\d$")),
    ]
    words = words.learn(_read_facts(), pl.concat([frame.unpivot()["value"] for frame in read]))
    numbered = _numbered(after_nouns, words)
    own = _rule(_own_numbers, heads, words)
    numbered = pl.concat([numbered.drop("_more", "_stated_year"), _shared(numbered), own])
    laws, constitution = (law_nouns.filter(kind) for kind in (pl.col("_law") < 3, pl.col("_law") == 3))
    named = pl.concat([_rule(_laws, laws, words), _rule(_constitution, constitution, words)])
    # A name inside a numbered citation is that citation.
    found = pl.concat([numbered, named.filter(~_inside(named, numbered))])
    keys = {key: gather(tokens.paragraphs[key], "_para") for key in KEYS}
    sentence = sentence_around(gather(tokens.paragraphs["text"], "_para"))
    return (
        found.with_columns(**keys, sentence=sentence)
        .sort(*KEYS, "char_start")
        .with_columns(ref_id=span_id())
        .select(DOCUMENT_REF.columns)
    )
