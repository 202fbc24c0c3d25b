"""Metrics: every stated quantity in the paragraphs, read the Vietnamese way, as Polars expressions.

How it works, all vectorised over the corpus:
1. `number_tokens`: one `extract_all` with a regex that tiles each paragraph into pieces
   "text before a number + the number" gives every number with its offset and the text around
   it, without exploding the corpus into words. A token is a chain of digit groups joined by
   '-' or '–' ("38-40", "2-1", "2020-2025", "14-12-2021"), judged whole before it is taken apart.
2. The words on either side (prev1..prev3, the list `following`) and the characters glued to
   the number (`pre`, `post`) are cut from those gaps with list operations.
3. `classify_tokens` names why a number is *not* a metric (date, year, document number, name,
   ...); what is left is a metric.
4. `read_metrics` reads the scale word, unit, kind, value, qualifier and change of each token;
   `_ranges_and_scores` makes one row of a range ("38-40 độ", "20 - 50%", "từ 7 đến 15 năm",
   with `value_high`) and two rows of a score ("thắng 2-1").
"""

from __future__ import annotations

import itertools
from functools import cache

import polars as pl

from archive_etl.parse.lexicon import (
    CHANGES,
    CLASSIFIERS,
    COMMON_WORDS,
    COUNT_BEFORE_SO,
    CURRENCIES,
    DATE_WORDS,
    DAY_WORDS,
    DECADE_WORDS,
    DOCUMENT_NOUNS,
    DOCUMENT_WORDS,
    DURATION_UNITS,
    FUNCTION_WORDS,
    MEASURE_UNITS,
    MONEY_UNITS,
    MULTIPLIER_WORDS,
    NAME_WORDS,
    NOT_ORDINAL_PAIRS,
    NOT_SCALE_AFTER,
    NOT_UNIT_PAIRS,
    NOT_UNITS,
    ORDINAL_WORDS,
    PHONE_WORDS,
    QUALIFIERS,
    QUALIFIERS_AFTER,
    RATIO_LEADS,
    SCALES,
    SCORE_WORDS,
    SENTENCE_OPENERS,
    STRONG_DATE_WORDS,
    TWO_SYLLABLE_UNITS,
    VIEW_COUNTER_WORDS,
    YEAR_WORDS,
)
from archive_etl.parse.spans import span_id

# A number: digit groups with '.', ',', '/', ':' between digits, chained by '-' or '–'.
NUMBER = r"[0-9][0-9.,/:\-–]*[0-9]|[0-9]"
# One number of a chain ("38" and "40" of "38-40").
PART = r"[0-9][0-9.,/:]*[0-9]|[0-9]"
# Tiles a text exactly: each piece is the text up to and including the next number; the last
# piece is the tail after the last number. (Digits glued to a word, as in "m2" or "H5N1", come
# out as numbers too; `classify_tokens` names them, and units take them back.)
_PIECE = rf"[^0-9]*(?:{NUMBER})|[^0-9]+$"
# Enough characters either side of a number for a few words of context.
_CONTEXT = 80
_PUNCT = ".,;:!?()[]{}\"'“”‘’«»…–—-*/"
_ENDS_WITH_PUNCT = r"[.,;:!?)\]}”\"…]$"
# Paragraph kinds whose numbers are page furniture or metadata, not statements.
SKIPPED_KINDS = ("header", "dateline", "boilerplate")

KEYS = ("article_id", "paragraph_no")


def _norm(word: pl.Expr) -> pl.Expr:
    """A context word for lexicon look-ups: lowercase, punctuation stripped from both ends."""
    return word.str.to_lowercase().str.strip_chars(_PUNCT)


def _pair(first: str | pl.Expr, second: str | pl.Expr) -> pl.Expr:
    a = pl.col(first) if isinstance(first, str) else first
    b = pl.col(second) if isinstance(second, str) else second
    return pl.concat_str(a, pl.lit(" "), b)


@cache
def _sorted(words: frozenset[str]) -> list[str]:
    return sorted(words)


def _in(expr: pl.Expr, words: frozenset[str] | set[str]) -> pl.Expr:
    return expr.is_in(_sorted(frozenset(words))).fill_null(False)


def _shift_within_paragraph(expr: pl.Expr, n: int) -> pl.Expr:
    """`expr` of the token n places before (n > 0) or after (n < 0), null across paragraphs.

    Tokens of a paragraph are contiguous and in order, so comparing the paragraph's sequence
    number with the shifted row's replaces a window over (article_id, paragraph_no), which
    hashes string keys.
    """
    return pl.when(pl.col("_para") == pl.col("_para").shift(n)).then(expr.shift(n))


def number_tokens(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per number in `text`: offsets in the paragraph and the words around it."""
    piece, end = pl.col("piece"), pl.col("piece_end")
    # A piece ends with its number (looked for in its last characters: a gap can be long).
    token = piece.str.slice(-_CONTEXT).str.extract(rf"({NUMBER})$", 1)
    gap = piece.str.head(piece.str.len_chars() - token.str.len_chars().fill_null(0))
    pieces = (
        paragraphs.filter(pl.col("text").str.contains("[0-9]"))
        .select(*KEYS, piece=pl.col("text").str.extract_all(_PIECE))
        .with_row_index("_para")
        .with_columns(piece_end=piece.list.eval(pl.element().str.len_chars().cast(pl.Int64).cum_sum()))
        .explode("piece", "piece_end")
        .with_columns(gap=gap, token=token)
    )
    after, next_head = _shift_within_paragraph(piece, -1), _shift_within_paragraph(pl.col("gap"), -1)
    tokens = (
        pieces.with_columns(
            char_start=end - pl.col("token").str.len_chars().cast(pl.Int64),
            # The text after this number, up to the next number; digits glued to a word there
            # stay with it, so that "1.250 m2" reads the unit "m2".
            next_gap=pl.coalesce(
                pl.when(next_head.str.slice(-1).str.contains(r"\p{L}")).then(after).otherwise(next_head),
                after,
                pl.lit(""),
            ),
            # The next number as written: "77 năm 2017".
            _next_token=_shift_within_paragraph(pl.col("token"), -1),
        )
        .filter(pl.col("token").is_not_null())
        .with_row_index("_row")
        .drop("piece", "piece_end")
    )
    before = pl.col("gap").str.slice(-_CONTEXT)
    following = pl.col("next_gap").str.slice(0, _CONTEXT)
    # The context is lowered whole and then split, which gives the words `_norm` would: two
    # calls of to_lowercase a number where a call a word made eight (a call costs more than its
    # letters: 35% of number_tokens on real text).
    lowered = {
        "_before": before.str.to_lowercase().str.split(" "),
        "_after": following.str.to_lowercase().str.split(" "),
    }
    before, following = before.str.split(" "), following.str.split(" ")
    words = {
        "pre": before.list.last(),
        "post": following.list.first(),
        "following": following.list.slice(1),
        **{f"prev{i}_raw": before.list.get(-1 - i, null_on_oob=True) for i in (1, 2, 3, 4, 5)},
        **lowered,
    }

    def norm(words: str, i: int) -> pl.Expr:
        return pl.col(words).list.get(i, null_on_oob=True).str.strip_chars(_PUNCT)

    return (
        tokens.with_columns(**words)
        .with_columns(
            **{f"prev{i}": norm("_before", -1 - i) for i in (1, 2, 3, 4, 5)},
            **{f"next{i}_raw": pl.col("following").list.get(i - 1, null_on_oob=True) for i in (1, 2, 3)},
            **{f"next{i}": norm("_after", i) for i in (1, 2, 3)},
        )
        .drop("_before", "_after")
    )


def parse_number(text: pl.Expr) -> pl.Expr:
    """Read one number the Vietnamese way, accepting the mixed styles real pages use.

    '.' groups thousands and ',' is the decimal comma ("1.773", "101,53"); but a '.' that is
    not followed by groups of three digits is a decimal point ("98.2"), and several ','
    groups of three are English thousands ("1,234,567").
    """
    has_dot, has_comma = text.str.contains(r"\."), text.str.contains(",")
    cleaned = (
        pl.when(has_dot & has_comma & (text.str.find(r"\.") < text.str.find(",")))
        .then(text.str.replace_all(r"\.", "").str.replace(",", "."))
        .when(has_dot & has_comma)
        .then(text.str.replace_all(",", ""))
        .when(text.str.contains(r"^[0-9]{1,3}(?:\.[0-9]{3})+$"))
        .then(text.str.replace_all(r"\.", ""))
        .when(text.str.contains(r"^[0-9]{1,3}(?:,[0-9]{3}){2,}$"))
        .then(text.str.replace_all(",", ""))
        .otherwise(text.str.replace(",", "."))
    )
    return cleaned.cast(pl.Float64, strict=False)


# Units, as looked up: one word, or two ("chỉ tiêu", "mã lực", "độ c").
_ONE_WORD_UNITS = CLASSIFIERS | DURATION_UNITS | MEASURE_UNITS | CURRENCIES | MONEY_UNITS
_TWO_WORD_UNITS = TWO_SYLLABLE_UNITS | MONEY_UNITS | MEASURE_UNITS | DURATION_UNITS
# Acronyms glued to a number that are units ("50MW", "128GB", "399USD"); others are codes.
_GLUED_ACRONYMS = (
    r"(?i)^(?:usd|vnd|vnđ|gb|mb|tb|kb|mw|kw|kwh|mwh|gw|hp|cc|ml|km|kg|ha|mm|cm|nm|ghz|mhz|mah|v|kv|w)$"
)


def _unit_parts() -> dict[str, pl.Expr]:
    """The scale word after the number and the words after it, where the unit stands."""
    # The three words after the number, lowered: number_tokens's next1 to next3.
    first, second, third = pl.col("next1"), pl.col("next2"), pl.col("next3")
    spaced = pl.col("post") == ""
    scale_words = (
        pl.when(spaced & _in(_pair(first, second), frozenset(SCALES)) & ~_in(third, NOT_SCALE_AFTER))
        .then(2)
        .when(spaced & _in(first, frozenset(SCALES)) & ~_in(second, NOT_SCALE_AFTER))
        .then(1)
        .otherwise(0)
    )
    return {"_scale_words": scale_words}


def _unit_words() -> dict[str, pl.Expr]:
    following, s = pl.col("following"), pl.col("_scale_words")
    raw = {f"_u{i}_raw": following.list.get(s + i - 1, null_on_oob=True) for i in (1, 2)}
    scale = pl.when(s == 2).then(_pair("next1", "next2")).when(s == 1).then(pl.col("next1"))
    # "5.000 tỷ, phần thiếu ...": punctuation after the scale word ends the figure there.
    closed = following.list.get(s - 1, null_on_oob=True).str.contains(_ENDS_WITH_PUNCT).fill_null(False)
    return {**raw, "_scale": scale, "_closed": (s > 0) & closed}


def _glued() -> pl.Expr:
    """Letters glued after the number ("50ha", "1.250m2", "30.000đồng/kg"), as written."""
    return (
        pl.col("post")
        .str.extract(r"^(?:-(\p{Ll}[\p{L}²³0-9]*)|(\p{L}[\p{L}²³0-9]*(?:/[\p{L}0-9²³]+)?))", 0)
        .str.strip_chars_start("-")
    )


def _known_unit(word: pl.Expr) -> pl.Expr:
    """A unit word, or a rate whose first part is one ("đồng/kg", "lượt/ngày", "km/h")."""
    head = word.str.extract(r"^([^/]+)/", 1)
    return _in(word, _ONE_WORD_UNITS) | _in(head, _ONE_WORD_UNITS)


def _percent() -> pl.Expr:
    post, next1, next2 = pl.col("post"), pl.col("next1"), pl.col("next2")
    spaced = (post == "") & pl.col("next1_raw").str.starts_with("%").fill_null(False)
    return post.str.starts_with("%") | spaced | ((next1 == "phần") & (next2 == "trăm")).fill_null(False)


def _date_follows() -> pl.Expr:
    """ "77 năm 2017", "6 tháng 12", "ca 1 ngày 5/2": the word after the number introduces a
    date, so it is not the number's unit."""
    next_gap, next_token = pl.col("next_gap"), pl.col("_next_token")
    return (
        (next_gap.str.contains(r"^\s*năm(?: học)?\s*$") & next_token.str.contains(r"^(?:19|20)[0-9]{2}"))
        | (
            next_gap.str.contains(r"^\s*tháng\s*$")
            & next_token.str.contains(r"^(?:[0-9]|1[0-2])(?:$|[/.\-])")
        )
        | (next_gap.str.contains(r"^\s*ngày\s*$") & next_token.str.contains(r"^[0-9]{1,2}[/.\-][0-9]{1,2}"))
    ).fill_null(False)


def _unit() -> pl.Expr:
    """The counted noun or unit, lowercase, without the scale word; null when none is stated."""
    post = pl.col("post")
    u1_raw, u2_raw = pl.col("_u1_raw"), pl.col("_u2_raw")
    u1, u2 = _norm(u1_raw), _norm(u2_raw)
    glued = _glued().str.to_lowercase()
    rate = post.str.extract(r"^%(/\p{L}+)", 1)
    # After a scale word the unit may be glued to it in rates: "2 triệu đồng/m2" reads u1 "đồng/m2".
    u1_unit = u1_raw.str.strip_chars(".,;:!?)(“”\"'…").str.to_lowercase()
    open_after_u1 = ~u1_raw.str.contains(_ENDS_WITH_PUNCT).fill_null(True)
    spaced = (post == "") | (pl.col("_scale_words") > 0)
    plain_word = r"^\p{Ll}+$"
    # Units and counted nouns are written in lowercase; a capitalised word is a name ("3 Bộ luật").
    lower = u1_raw.str.contains(r"^[\p{Ll}°]").fill_null(False)
    noun = (
        lower
        & u1.str.contains(r"^\p{Ll}+(?:-\p{Ll}+)*$").fill_null(False)
        & ~_in(u1, FUNCTION_WORDS | NOT_UNITS)
    )
    noun_u2 = (
        u2_raw.str.contains(r"^\p{Ll}+[,.;:]?$").fill_null(False)
        & u2.str.contains(plain_word).fill_null(False)
        & ~_in(u2, FUNCTION_WORDS | NOT_UNITS | DURATION_UNITS)
    )
    acronym = u1_raw.str.extract(r"^(\p{Lu}{2,6}[0-9]?)[.,;:)]*$", 1).str.to_lowercase()
    # Units written in Latin letters keep their own capitals: "220 Nm", "50 kW", "1 triệu Euro".
    latin = (
        u1_raw.str.contains(r"^[A-Za-zµμ]+[0-9²³]?[.,;:)]*$").fill_null(False)
        & ~u1_raw.str.contains(r"^\p{Lu}\.$").fill_null(False)  # "L. Koné": an initial
        & _known_unit(u1_unit)
    )
    # "40 m 2": the exponent of a square metre pushed off by a space.
    exponent = pl.col("next_gap").str.contains(r"^\s*(?:m|km|cm)\s+$") & pl.col("_next_token").is_in(
        ["2", "3"]
    )
    return (
        pl.when(_percent())
        .then(pl.concat_str(pl.lit("%"), rate.fill_null("")))
        .when(glued.is_not_null())
        .then(glued.str.replace(r"^m[0-9]{2}$", "m"))  # "1m63": metres and centimetres
        .when(~spaced | pl.col("_date_follows") | pl.col("_closed") | _in(_pair(u1, u2), NOT_UNIT_PAIRS))
        .then(None)
        .when(exponent.fill_null(False))
        .then(pl.concat_str(u1, pl.col("_next_token")))
        .when(latin)
        .then(u1_unit)
        # Known units and nouns count whatever their case: Party and government news capitalise
        # what they count ("14 Đảng ủy phường", "06 Kế hoạch"); an unknown capitalised word is
        # a name.
        .when(open_after_u1 & _in(_pair(u1, u2), _TWO_WORD_UNITS))
        .then(_pair(u1, u2))
        .when(
            (lower | ~u1_raw.str.contains(r"^\p{Lu}\.")) & _known_unit(u1_unit)
            | (lower & u1_unit.str.contains(r"^\p{Ll}+/\p{Ll}+[0-9²³]*$"))
        )
        .then(u1_unit)
        .when(acronym.is_not_null() & ~_in(acronym, NOT_UNITS))
        .then(acronym)
        # "ở tuổi 25": an age stated with the noun first.
        .when(pl.col("prev1") == "tuổi")
        .then(pl.lit("tuổi"))
        .when(noun & open_after_u1 & noun_u2)
        .then(_pair(u1, u2))
        .when(noun)
        .then(u1)
    )


def _strong_unit() -> pl.Expr:
    """A unit no name or document number takes: money, a measure, a duration, a scale, a percentage."""
    unit = pl.col("unit")
    head = unit.str.extract(r"^([^/ ]+)", 1)
    return (
        (pl.col("_scale_words") > 0)
        | unit.str.starts_with("%")
        | _in(head, CURRENCIES | MEASURE_UNITS | DURATION_UNITS)
        | _in(unit, MEASURE_UNITS | MONEY_UNITS | DURATION_UNITS)
    ).fill_null(False)


def not_metric_rules() -> dict[str, pl.Expr]:
    """Why a number is not a metric: each reason with the condition that gives it, in the order
    they are tried."""
    tok, pre, post = pl.col("token"), pl.col("pre"), pl.col("post")
    next1, gap = pl.col("next1"), pl.col("gap")
    # A word before the number governs it ("số 15", "ngõ 53") only if no punctuation stands
    # between them: in "UBND quận: 3370/3.432 đơn" the number is not a district's name.
    # An opening bracket or quote between them cuts the tie ("chia lô (120 lô)"); a hyphen does
    # not ("Covid -19").
    joined = ~pl.col("prev1_raw").str.contains(_ENDS_WITH_PUNCT).fill_null(False) & ~pre.str.contains(
        r"[(\[“\"'‘«]"
    )
    prev1 = pl.when(joined).then(pl.col("prev1"))
    prev_pair = pl.when(joined & ~pl.col("prev2_raw").str.contains(_ENDS_WITH_PUNCT).fill_null(False)).then(
        _pair("prev2", "prev1")
    )
    any_prev1, any_pair = pl.col("prev1"), _pair("prev2", "prev1")

    def preceded_by(words: frozenset[str]) -> pl.Expr:
        """The word or two words before the number, joined to it, are one of `words`."""
        return _in(prev1, words) | _in(prev_pair, words)

    def neighbour(column: str, n: int) -> pl.Expr:
        return _shift_within_paragraph(pl.col(column), n)

    digits_only = r"^[0-9][0-9.]*$"
    gap_tail = gap.str.slice(-_CONTEXT)  # end-anchored patterns look at the end only
    first = tok.str.extract(r"^([0-9]+)", 1).cast(pl.Int64, strict=False)
    second = tok.str.extract(r"^[0-9]+[/.\-–]([0-9]+)", 1).cast(pl.Int64, strict=False)
    valid_dm = first.is_between(1, 31) & second.is_between(1, 12)
    next_number = pl.col("_next_token").str.extract(r"^([0-9]+)$", 1).cast(pl.Int64, strict=False)
    glued = _glued()
    unit = pl.col("unit")
    has_unit = unit.is_not_null() | (pl.col("_scale_words") > 0)
    known_unit = (_known_unit(unit) | _in(unit, _TWO_WORD_UNITS)).fill_null(False)

    strong_unit = pl.col("_strong_unit")
    counted = (post == "") & (_in(next1, CLASSIFIERS) | _in(_pair("next1", "next2"), TWO_SYLLABLE_UNITS))
    noun_follows = (post == "") & next1.str.contains(r"^\p{L}").fill_null(False) & ~_in(next1, FUNCTION_WORDS)
    date_follows = pl.col("_date_follows")
    duration_after = (post == "") & _in(next1, DURATION_UNITS) & ~date_follows

    clock = (unit == "giờ") & pl.col("token").cast(pl.Int64, strict=False).is_between(13, 23)
    time = (
        # "khoảng 21 giờ 10 phút": past noon, "giờ" is the hour of the day.
        clock.fill_null(False)
        |
        # "buổi chiều 15-16 giờ", "lúc 7 giờ sáng": o'clock, not hours.
        (
            (unit == "giờ") & gap.str.slice(-30).str.contains(r"(?i)sáng|chiều|tối|trưa|đêm|lúc|khuya")
        ).fill_null(False)
        | tok.str.contains(r"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$")
        | (tok.str.contains(r"^[0-9]{1,2}$") & post.str.contains(r"^[hg][0-9]{0,2}[.,;)]*$"))
        | (_in(any_prev1, frozenset({"lúc"})) & tok.str.contains(r"^[0-9]{1,2}$"))
    )
    day_month = (
        first.is_between(1, 31)
        & tok.str.contains(r"^[0-9]{1,2}$")
        & pl.col("next_gap").str.contains(r"^\s*tháng\s*$")
        & next_number.is_between(1, 12)
    ) | (tok.str.contains(r"^[0-9]{1,2}$") & (next1 == "tháng") & pl.col("next2").is_in(["giêng", "chạp"]))
    date = (
        (_in(any_prev1, DAY_WORDS) & tok.str.contains(r"^[0-9]{1,2}$") & first.is_between(1, 31))
        & ((any_prev1 == "mùng") | ~noun_follows | day_month)
        | day_month
        | ((any_prev1 == "tháng") & tok.str.contains(r"^[0-9]{1,2}$") & first.is_between(1, 12))
        | tok.str.contains(r"^[0-9]{1,2}([/.\-–])[0-9]{1,2}[/.\-–][0-9]{2,4}$")
        | (
            tok.str.contains(r"^[0-9]{1,2}[/.\-–](?:19|20)[0-9]{2}$")
            & first.is_between(1, 12)
            & (_in(any_prev1, STRONG_DATE_WORDS) | ~strong_unit)
        )
        | (
            tok.str.contains(r"^[0-9]{1,2}/[0-9]{1,2}$")
            & valid_dm
            & (
                _in(any_prev1, STRONG_DATE_WORDS)
                | _in(any_pair, frozenset({"đến hết", "tới hết", "hết ngày"}))
                | pl.col("next_gap").str.contains(r"^\s*(?:âm|dương)\s+lịch")
                | (
                    ~known_unit
                    & ~_in(any_prev1, RATIO_LEADS)
                    & (
                        _in(any_prev1, DATE_WORDS)
                        | ~noun_follows
                        | pl.col("next1_raw").str.contains(r"^[\p{Lu}“\"]")
                    )
                )
            )
        )
        | (
            # "ngày 22.5", "sáng 6-2", "(6.2)": a day and month with a dot or a hyphen.
            tok.str.contains(r"^[0-9]{1,2}[.\-–][0-9]{1,2}$")
            & valid_dm
            & ~has_unit
            & (_in(any_prev1, DATE_WORDS) | gap_tail.str.contains(r"[(,]\s*$") | post.str.starts_with(")"))
        )
        | (
            tok.str.contains(r"^[0-9]{1,2}[.\-–][0-9]{1,2}$")
            & valid_dm
            & _in(any_prev1, STRONG_DATE_WORDS)
            & ~strong_unit
        )
    )
    year_range = tok.str.contains(r"^(?:19|20|21)[0-9]{2}\s*[-–/]\s*(?:(?:19|20|21)[0-9]{2}|[0-9]{2})$") | (
        # A season "90/91": two years in a row.
        tok.str.contains(r"^[0-9]{2}/[0-9]{2}$") & ((second - first) % 100 == 1) & ~has_unit
    )

    # "Yamaha R15 2017": right after a code glued to letters.
    after_code = (gap == " ") & neighbour("pre", 1).str.contains(r"\p{L}").fill_null(False)
    # "DIFF 2017 lần này", "League Cup 2013 Ban tổ chức": an edition's year after its name.
    capital_before_year = (
        pl.col("prev1_raw").str.contains(r"^\p{L}").fill_null(False)
        & pl.col("prev1_raw").str.contains(r"\p{Lu}").fill_null(False)
        & ~_in(any_prev1, COMMON_WORDS | FUNCTION_WORDS)
    )
    year = (
        (
            tok.str.contains(r"^[0-9]{4}$")
            & first.is_between(1900, 2100)
            & (~counted | preceded_by(YEAR_WORDS) | capital_before_year | after_code)
        )
        | (_in(any_pair, DECADE_WORDS) & tok.str.contains(r"^[0-9]{2,4}$"))
        # "sinh năm 92": a year written with two digits.
        | ((any_prev1 == "năm") & tok.str.contains(r"^[0-9]{2}$") & ~has_unit)
    )
    # "cách mạng công nghiệp 4.0", "web 2.0": a version, not a number.
    version = tok.str.contains(r"^[0-9]{1,2}\.0$") & ~has_unit

    code_follows = post.str.contains(r"^[-–/]\s*\p{Lu}") | (
        post.is_in(["-", "–"]) & pl.col("next1_raw").str.contains(r"^\p{Lu}[\p{L}]*/").fill_null(False)
    )
    so = (prev1 == "số").fill_null(False) & ~_in(pl.col("prev2"), COUNT_BEFORE_SO)
    document = (
        code_follows
        | so
        | (_in(prev1, DOCUMENT_WORDS - {"số"}) & ~strong_unit)
        | (_in(prev_pair, DOCUMENT_NOUNS) & ~strong_unit)
        | (_in(prev_pair, DOCUMENT_NOUNS) & date_follows)
        # Account numbers, IDs: nine digits or more with nothing between them.
        | tok.str.contains(r"^[0-9]{9,}$")
    )
    ordinal = (
        (prev1 == "thứ").fill_null(False)
        | ((prev1 == "top") & ~has_unit).fill_null(False)
        | (
            preceded_by(ORDINAL_WORDS)
            & ~duration_after
            & ~(pl.col("_scale_words") > 0)
            & ~_in(any_pair, NOT_ORDINAL_PAIRS)
            # "xếp hạng 50 thương hiệu" is the size of a ranking; "xếp hạng 5" a rank.
            & ~((any_pair == "xếp hạng") & has_unit)
        )
        | ((any_prev1 == "năm") & tok.str.contains(r"^[1-6]$") & ~has_unit)
    )

    view_counter = _in(_pair("prev2", "prev1"), VIEW_COUNTER_WORDS)
    sentence_start = (pl.col("char_start") == 0) | gap_tail.str.contains(
        r"(?:[.!?:;”\"…]\s+|^\s*[-–•+*]\s*|\(\s*)$"
    )
    list_marker = (
        (sentence_start | gap.is_in(["(", "-", "- "]))
        & post.str.contains(r"^[.)]$")
        & tok.str.contains(r"^[0-9]{1,3}$")
        & (pl.col("next1_raw").str.contains(r"^[\p{Lu}“\"(]").fill_null(False) | (pl.col("char_start") == 0))
    ) | (gap.str.ends_with("(") & post.str.starts_with(")") & tok.str.contains(r"^[0-9]{1,2}$"))
    # A ranking's "1. N'golo Kante" inside a page flattened to one line.
    list_marker = list_marker | (
        (post == ".")
        & tok.str.contains(r"^[0-9]{1,2}$")
        & pl.col("next1_raw").str.contains(r"^[\p{Lu}“\"0-9]").fill_null(False)
        & unit.is_null()
    )
    # Proper nouns around the number: "SEA Games 29", "iPhone 8", "Kế hoạch 01", "cầu Vĩnh Tuy 2",
    # "16 J. Martin" (a shirt number), "198 Trần Hưng Đạo" (an address).
    lead_word = _in(
        any_prev1, FUNCTION_WORDS | COMMON_WORDS | frozenset(QUALIFIERS) | frozenset(CHANGES) | NOT_UNITS
    )
    prev1_raw = pl.col("prev1_raw")
    # A Latin-script brand or model ("Mazda 3", "iPhone 8", "SEA Games 29") names what follows
    # unless money, a measure or a percentage does; a Vietnamese proper noun unless any unit does.
    latin_name = prev1_raw.str.contains(r"^[A-Za-z][A-Za-z0-9\-]*$") & prev1_raw.str.contains(r"[A-Z]")
    capital_before = (
        prev1_raw.str.strip_chars_start("([“\"'").str.contains(r"^\p{L}").fill_null(False)
        & prev1_raw.str.contains(r"\p{Lu}").fill_null(False)
        & joined
        & ~lead_word
        & ((latin_name.fill_null(False) & ~strong_unit & ~known_unit) | ~has_unit)
    )
    initial_after = (post == "") & pl.col("next1_raw").str.contains(r"^\p{Lu}\.$").fill_null(False)
    capital_after = initial_after | (
        (post == "")
        & pl.col("next1_raw").str.contains(r"^\p{Lu}(?:\p{Ll}|\.|$)").fill_null(False)
        & ~_in(next1, _ONE_WORD_UNITS | COMMON_WORDS | FUNCTION_WORDS | SENTENCE_OPENERS)
        & ~_in(_pair("next1", "next2"), _TWO_WORD_UNITS)
    )
    glued_code = glued.is_not_null() & (
        glued.str.contains(r"\p{Lu}") & ~glued.str.contains(_GLUED_ACRONYMS)
        | (glued.str.contains(r"[0-9]") & ~glued.str.contains(r"(?i)^(?:m|km|cm)[23²³]$|^m[0-9]{2}$"))
        | glued.str.contains(r"(?i)^x[0-9]*$")
    )
    name = (
        pre.str.contains(r"\p{L}")
        | glued_code
        | version
        # "40 m 2": a square metre's exponent, pushed off by a space.
        | (
            _in(any_prev1, frozenset({"m", "km", "cm", "dm"}))
            & tok.is_in(["2", "3"])
            & (gap.str.ends_with(" "))
        )
        | ((preceded_by(NAME_WORDS) | capital_before | capital_after) & ~duration_after & ~pl.col("_score"))
    )
    grouped = (gap == " ") & neighbour("token", 1).str.contains(digits_only).fill_null(False)
    starts_zero = r"^0[0-9]+$"
    phone = (
        tok.str.replace_all(r"[.\s]", "").str.contains(r"^0[0-9]{8,}$")
        | (
            tok.str.contains(starts_zero)
            & (neighbour("gap", -1) == " ").fill_null(False)
            & neighbour("token", -1).str.contains(r"^[0-9]{3,}$").fill_null(False)
        )
        | (grouped & neighbour("token", 1).str.contains(starts_zero).fill_null(False))
        | (
            grouped
            & neighbour("gap", 1).eq(" ").fill_null(False)
            & neighbour("token", 2).str.contains(starts_zero).fill_null(False)
        )
        | _in(any_prev1, PHONE_WORDS)
        | _in(any_pair, PHONE_WORDS)
    )
    return {
        "view_counter": view_counter,
        "phone": phone,
        "time": time,
        "date": date,
        "year_range": year_range,
        "year": year,
        "list_marker": list_marker,
        "doc_number": document,
        "ordinal": ordinal,
        "name": name,
    }


def classify_tokens(tokens: pl.LazyFrame) -> pl.LazyFrame:
    """Add `reason`: why a number is not a metric (null when it is one)."""
    gap = pl.col("gap")
    strong_unit = pl.col("_strong_unit")
    rules = not_metric_rules()
    # Each condition as a column first: one pass shares their common parts, which a `when`
    # chain of whole conditions does not (measured: 0.6 s against 1.5 s at 10,000 articles).
    frame = tokens.with_columns(
        **{f"_is_{name}": condition.fill_null(False) for name, condition in rules.items()}
    )
    # A score ("tỷ số 2-1", "(7-6, 3-6)") is two counts, whatever its digits look like.
    reason: pl.Expr = pl.when(pl.col("_score")).then(None)
    for name in rules:
        reason = reason.when(pl.col(f"_is_{name}")).then(pl.lit(name))
    # "Hotline: 1900 54 54 26": the groups after a phone number belong to it.
    frame = frame.with_columns(reason=reason).drop(*(f"_is_{name}" for name in rules))

    for _ in range(3):
        frame = frame.with_columns(
            reason=pl.when(
                pl.col("reason").is_null()
                & gap.is_in([" ", ".", "-", " - "])
                & (_shift_within_paragraph(pl.col("reason"), 1) == "phone").fill_null(False)
            )
            .then(pl.lit("phone"))
            .otherwise("reason")
        )
    # "Kế hoạch số 03, 04", "gỗ nhóm 6, 7, 8": a number listed right after a document number or
    # an ordinal is one too.
    before = _shift_within_paragraph(pl.col("reason"), 1)
    listed = (
        gap.str.contains(r"^\s*(?:,|;|và|&|hoặc)?\s*$") & before.is_in(["doc_number", "ordinal"])
        # "ngày 15 - 16 âm lịch", "hai ngày 4 và 5": days listed or spanned.
        | gap.str.contains(r"^\s*(?:,|và|[-–]|đến|tới)\s*$")
        & (before == "date")
        & pl.col("token").str.contains(r"^(?:[1-9]|[12][0-9]|3[01])$")
        # "năm 2006, 2007", "năm 2014 – 2015": years listed or spanned.
        | gap.str.contains(r"^\s*(?:,|và|hoặc|[-–])\s*$")
        & (before == "year")
        & pl.col("token").str.contains(r"^(?:19|20)[0-9]{2}$")
        # "phút 45+2": the added time of a minute is a minute too.
        | (gap == "+") & before.is_not_null()
    ).fill_null(False) & ~strong_unit
    # "21 giờ 10 phút": the minutes of an hour of the day.
    listed = listed | (gap.str.contains(r"^\s*giờ\s*$") & (before == "time")).fill_null(False)
    for _ in range(3):  # chains of up to four listed numbers
        frame = frame.with_columns(
            reason=pl.when(pl.col("reason").is_null() & listed).then(before).otherwise("reason")
        )

    return frame


def _score() -> pl.Expr:
    """A chain "a-b" read as a score (two counts): after a word of the game ("tỷ số 2-1",
    "thắng 3-0"), between two teams ("Hamburger 2-0 Koln"), or a set score in brackets after one."""
    chain = pl.col("token").str.contains(r"^[0-9]{1,3}(?:\s*[-–]\s*[0-9]{1,3})+$")
    # A word of the game among the words before: "tỷ số 2-1", "chiến thắng đậm đà 3-0".
    prev = [pl.col(f"prev{i}") for i in (1, 2, 3, 4, 5)]
    worded = pl.any_horizontal(
        *(_in(w, SCORE_WORDS) for w in prev),
        *(_in(_pair(b, a), SCORE_WORDS) for a, b in itertools.pairwise(prev)),
    )

    teams = (
        pl.col("prev1_raw").str.contains(r"^\p{Lu}").fill_null(False)
        & pl.col("next1_raw").str.contains(r"^\p{Lu}").fill_null(False)
        & ~_in(pl.col("prev1"), COMMON_WORDS | DATE_WORDS | FUNCTION_WORDS)
    )
    ends = (pl.col("post") == "") | pl.col("post").str.contains(r"^[,.;:)]")
    unit = pl.col("unit")
    return (
        chain & ends & (worded | teams) & (unit.is_null() | ~(_known_unit(unit) | unit.str.starts_with("%")))
    )


def _set_scores(tokens: pl.LazyFrame) -> pl.LazyFrame:
    """Set scores in brackets after a score are scores too: "2-1 (7-6, 3-6, 9-7)"."""
    chain = pl.col("token").str.contains(r"^[0-9]{1,3}(?:[-–][0-9]{1,3})+$")
    listed = pl.col("gap").str.contains(r"^\s*(?:[(,;]|và)\s*$")
    for _ in range(4):
        after_score = _shift_within_paragraph(pl.col("_score"), 1).fill_null(False)
        tokens = tokens.with_columns(_score=pl.col("_score") | (chain & listed & after_score))
    return tokens


def _kind() -> pl.Expr:
    unit = pl.col("unit")
    head = unit.str.extract(r"^([^/ ]+)", 1)
    before_slash = unit.str.extract(r"^([^/]+)", 1)
    ratio = pl.col("_part").str.contains(r"^[0-9][0-9.,]*/[0-9][0-9.,]*$")
    return (
        pl.when(unit.str.starts_with("%"))
        .then(pl.lit("percent"))
        .when(ratio | (_in(pl.col("prev1"), MULTIPLIER_WORDS) & (unit == "lần")))
        .then(pl.lit("ratio"))
        .when(_in(unit, CURRENCIES | MONEY_UNITS) | _in(before_slash, CURRENCIES | MONEY_UNITS))
        .then(pl.lit("amount"))
        .when(_in(unit, MEASURE_UNITS) | _in(before_slash, MEASURE_UNITS) | unit.str.ends_with(" tuổi"))
        .then(pl.lit("measure"))
        # A stock index moves in points: "VN-Index tăng 0,32 điểm lên 725,03 điểm".
        .when((unit == "điểm") & pl.col("_index_context"))
        .then(pl.lit("measure"))
        .when(_in(head, DURATION_UNITS) | _in(unit, DURATION_UNITS))
        .then(pl.lit("duration"))
        .when(unit.is_null() & ((pl.col("_scale_words") > 0) | pl.col("_price_cell")))
        .then(pl.lit("amount"))
        .otherwise(pl.lit("count"))
    )


def _index_context() -> pl.Expr:
    """The paragraph has named a stock index by this number ("VN-Index", "chỉ số HNX")."""
    first_in_paragraph = _shift_within_paragraph(pl.col("char_start"), 1).is_null()
    named = (
        pl.col("gap")
        .str.slice(-_CONTEXT * 4)
        .str.contains(r"(?i)index|chỉ số|vn30|hnx|upcom|dow jones|nasdaq|nikkei|s&p")
    )
    return pl.when(first_in_paragraph | named).then(named).forward_fill()


def _price_cells() -> pl.Expr:
    """Bare numbers of a price table ("Giá mở cửa Giá cao ... 17-Jun 213 213 208 211,2"): a run
    of numbers with at most a word between them, after a gap that names prices."""
    gap = pl.col("gap")
    prose = gap.str.strip_chars().str.contains(" ", literal=True)
    first_in_paragraph = _shift_within_paragraph(pl.col("char_start"), 1).is_null()
    starts = prose | first_in_paragraph
    tail = gap.str.slice(-_CONTEXT * 4)
    header = tail.str.contains(r"(?:^|[^\p{L}])Giá(?:[^\p{L}]|$)") & ~tail.str.contains(r"(?i)giá\s+trị")

    return pl.when(starts).then(header).forward_fill() & ~starts


def _lookup(expr: pl.Expr, mapping: dict[str, str]) -> pl.Expr:
    return expr.replace_strict(mapping, default=None, return_dtype=pl.String)


# Words that end the noun phrase after a number: "tuyến phố | trên địa bàn", "kế hoạch tu dưỡng | của".
_PHRASE_STOPS = "của|và|được|đã|là|với|trong|tại|để|cho|theo|thuộc|so|trên|từ|đến|nhằm|do|khi|đạt"


def _phrase_after() -> pl.Expr:
    """The words after the number up to punctuation or a linking word (at most eight)."""
    head = pl.col("next_gap").str.slice(0, _CONTEXT * 2).str.replace(r"^\s*%", "")
    phrase = head.str.extract(r"^\s*([^.,;:!?()\[\]“”\"…]+)", 1).str.extract(r"^(\S+(?: \S+){0,7})", 1)
    return phrase.str.replace(rf"^(\S+.*?) (?:{_PHRASE_STOPS})(?: .*)?$", "${1}")


# Verbs and qualifiers that lead into a number; they are not part of what it measures.
_LEAD_IN_WORDS = (
    "đạt", "là", "với", "trên", "hơn", "gần", "khoảng", "xấp xỉ", "dưới", "chiếm", "bằng", "tăng",
    "giảm", "còn", "có", "được", "tới", "đến", "ít nhất", "tối đa", "tối thiểu", "ngoài",
)  # fmt: skip


def _phrase_before() -> pl.Expr:
    """Up to eight words before the number, back to punctuation, without the verb or qualifier."""
    tail = pl.col("gap").str.slice(-_CONTEXT * 2).str.extract(r"([^.,;:!?()\[\]“”\"…]*)$", 1)
    tail = tail.str.replace(rf"(?i)(?:\s+(?:{'|'.join(_LEAD_IN_WORDS)}))+\s*$", "")
    return tail.str.extract(r"((?:\S+ ){0,7}\S+)\s*$", 1)


def _subject() -> pl.Expr:
    after, before = _phrase_after(), _phrase_before()
    after_words = after.str.count_matches(" ") + 1
    unit_words = pl.col("unit").str.count_matches(" ").fill_null(-1) + 1
    return (
        pl.when(pl.col("kind") == "percent")
        .then(
            pl.when(
                after.str.contains(r"^\p{L}")
                & ~_in(after.str.extract(r"^(\S+)", 1).str.to_lowercase(), FUNCTION_WORDS)
            )
            .then(after)
            .otherwise(before)
        )
        .when(after_words > unit_words)
        .then(after)
        .otherwise(pl.coalesce(before.str.strip_chars().replace("", None), after))
        .str.strip_chars()
    )


def _qualifier() -> pl.Expr:
    prev_pair = _pair("prev2", "prev1")
    return pl.coalesce(
        _lookup(prev_pair, QUALIFIERS),
        _lookup(pl.col("prev1"), QUALIFIERS),
        _lookup(_pair("next1", "next2"), QUALIFIERS_AFTER),  # "18 trở lên"
        _lookup(_pair("next2", "next3"), QUALIFIERS_AFTER),  # "18 tuổi trở lên"
    )


def _change() -> pl.Expr:
    """ "giảm 10%", and "tăng hơn 10%" where a qualifier stands between; a price cut or rise
    ("giảm giá 20%", "giảm giá từ 20-50%") too; a level reached ("giảm còn 4%", "tăng lên 12,5%",
    "giảm từ 5% xuống 4%") has none."""
    prev1, prev2, prev3 = pl.col("prev1"), pl.col("prev2"), pl.col("prev3")
    prev_pair = _pair("prev2", "prev1")
    qualifier_before = pl.coalesce(_lookup(prev_pair, QUALIFIERS), _lookup(prev1, QUALIFIERS))
    return pl.coalesce(
        _lookup(prev1, CHANGES),
        pl.when(qualifier_before.is_not_null() | prev1.is_in(["thêm", "được", "giá"])).then(
            _lookup(prev2, CHANGES)
        ),
        pl.when(_lookup(prev_pair, QUALIFIERS).is_not_null() | (prev_pair == "giá từ")).then(
            _lookup(prev3, CHANGES)
        ),
    )


def read_metrics(tokens: pl.LazyFrame) -> pl.LazyFrame:
    """Every token classified; of those that are metrics, scale, unit, kind, value, qualifier,
    change and subject (the others are dropped once their neighbours no longer need them)."""
    scale = pl.col("_scale").replace_strict(SCALES, default=1.0, return_dtype=pl.Float64)
    # "1m63" is 1.63 m.
    centimetres = pl.col("post").str.extract(r"^m([0-9]{2})\b", 1).cast(pl.Float64, strict=False) / 100
    parts = pl.col("token").str.extract_all(PART)
    return (
        tokens.with_columns(**_unit_parts(), _date_follows=_date_follows())
        .with_columns(**_unit_words())
        .with_columns(unit=_unit(), _parts=parts, _price_cell=_price_cells(), _index_context=_index_context())
        .with_columns(_score=_score(), _strong_unit=_strong_unit())
        .pipe(_set_scores)
        .pipe(classify_tokens)
        # Whether the next number is a metric too: ranges and shared units join only neighbours.
        .with_columns(_next_kept=_shift_within_paragraph(pl.col("reason").is_null(), -1).fill_null(False))
        .filter(pl.col("reason").is_null())
        .with_columns(
            _part=pl.col("_parts").list.first(),
            _high=pl.col("_parts").list.get(1, null_on_oob=True),
            _factor=scale,
            _cm=centimetres.fill_null(0.0),
        )
        .with_columns(kind=_kind(), qualifier=_qualifier(), change=_change())
        .with_columns(
            value=parse_number(pl.col("_part").str.extract(r"^([^/]+)", 1)) * pl.col("_factor")
            + pl.col("_cm"),
            value_high=parse_number(pl.col("_high")) * pl.col("_factor"),
            denominator=pl.when(pl.col("kind") == "ratio").then(
                parse_number(pl.col("_part").str.extract(r"/(.+)$", 1))
            ),
            subject=_subject(),
        )
    )


def _percent_sign() -> pl.Expr:
    post = pl.col("post")
    spaced = (post == "") & pl.col("next1_raw").str.starts_with("%").fill_null(False)
    return (
        pl.when(post.str.starts_with("%"))
        .then(pl.lit("%"))
        .when(spaced)
        .then(pl.lit(" %"))
        .otherwise(pl.lit(""))
    )


def _shared_units(rows: pl.LazyFrame) -> pl.LazyFrame:
    """A unit written once for numbers listed together is each one's: "lần lượt 6,9 và 10,9 tỷ
    đồng", "1,02 tỷ và 1,175 tỷ đồng", "143,5 x 70,9 x 7,3 mm"."""
    for _ in range(3):  # lists of up to four numbers
        nxt = {
            c: _shift_within_paragraph(pl.col(c), -1) for c in ("gap", "unit", "kind", "reason", "_factor")
        }
        listed = pl.col("_next_kept") & nxt["gap"].str.contains(
            r"^\s*(?:,|và|hoặc|hay|x|×|[-–]|đến|tới)\s*$"
        ).fill_null(False)

        takes = (
            listed
            & pl.col("unit").is_null()
            & pl.col("reason").is_null()
            & (pl.col("post") == "")
            & nxt["reason"].is_null()
            & nxt["unit"].is_not_null()
            & ~nxt["unit"].str.starts_with("%").fill_null(False)
        ).fill_null(False)
        rows = rows.with_columns(
            value=pl.when(takes & (pl.col("_factor") == 1))
            .then(pl.col("value") * nxt["_factor"])
            .otherwise("value"),
            value_high=pl.when(takes & (pl.col("_factor") == 1))
            .then(pl.col("value_high") * nxt["_factor"])
            .otherwise("value_high"),
            _factor=pl.when(takes & (pl.col("_factor") == 1)).then(nxt["_factor"]).otherwise("_factor"),
            unit=pl.when(takes).then(nxt["unit"]).otherwise("unit"),
            kind=pl.when(takes).then(nxt["kind"]).otherwise("kind"),
        )
    return rows


def _ranges_and_scores(readings: pl.LazyFrame) -> pl.LazyFrame:
    """One row per metric: a chain "a-b" is a range (one row, `value_high` b) or a score (a row
    per number); "a - b unit" and "từ a đến b unit" across two tokens are one range row."""
    n_parts = pl.col("_parts").list.len()
    score = pl.col("_score") | (
        (n_parts == 2) & (pl.col("value_high") < pl.col("value")) & pl.col("unit").is_null()
    )
    raw = pl.concat_str(pl.col("token"), _percent_sign())
    frame = readings.with_columns(
        _is_score=score & (n_parts >= 2),
        reason=pl.when((n_parts >= 3) & ~score).then(pl.lit("number_chain")).otherwise("reason"),
        raw=raw,
    )
    # Scores: a row per number of the chain, each a count of nothing named.
    offsets = pl.col("_parts").list.eval(
        pl.element().str.len_chars().cast(pl.Int64).cum_sum() - pl.element().str.len_chars().cast(pl.Int64)
    )
    index = pl.int_ranges(0, n_parts)
    scores = (
        frame.filter(pl.col("_is_score"))
        .with_columns(_p=pl.col("_parts"), _offset=offsets, _index=index)
        .explode("_p", "_offset", "_index")
        .with_columns(
            char_start=pl.col("char_start") + pl.col("_offset") + pl.col("_index"),
            raw=pl.col("_p"),
            value=parse_number(pl.col("_p")),
            value_high=pl.lit(None, pl.Float64),
            unit=pl.lit(None, pl.String),
            kind=pl.lit("count"),
            qualifier=pl.lit(None, pl.String),
            change=pl.lit(None, pl.String),
        )
        .drop("_p", "_offset", "_index")
    )
    singles = frame.filter(~pl.col("_is_score"))
    # "20 - 50%", "từ 7 đến 15 năm": a number without a unit, then a connector, then a number
    # with one, is the low end of a range stated once.
    nxt = {
        c: _shift_within_paragraph(pl.col(c), -1)
        for c in ("gap", "token", "unit", "kind", "reason", "value", "raw", "_factor")
    }
    # The low end takes the scale of the high one: "20 - 30 triệu" is 20 000 000 to 30 000 000.
    scaled = pl.when(pl.col("_factor") == 1).then(pl.col("value") * nxt["_factor"]).otherwise("value")
    connector = pl.col("_next_kept") & nxt["gap"].str.contains(r"^\s*(?:[-–~]|đến|tới)\s*$").fill_null(False)
    low_end = (
        connector
        & pl.col("unit").is_null()
        & (pl.col("post") == "")
        & pl.col("value_high").is_null()
        & nxt["reason"].is_null()
        & nxt["unit"].is_not_null()
        & pl.col("reason").is_null()
    )
    singles = singles.with_columns(_low_end=low_end.fill_null(False)).with_columns(
        _high_end=_shift_within_paragraph(pl.col("_low_end"), 1).fill_null(False)
    )
    singles = singles.with_columns(
        value=pl.when("_low_end").then(scaled).otherwise("value"),
        value_high=pl.when("_low_end").then(nxt["value"]).otherwise("value_high"),
        unit=pl.when("_low_end").then(nxt["unit"]).otherwise("unit"),
        kind=pl.when("_low_end").then(nxt["kind"]).otherwise("kind"),
        raw=pl.when("_low_end").then(pl.concat_str(pl.col("token"), nxt["gap"], nxt["raw"])).otherwise("raw"),
    ).filter(~pl.col("_high_end"))
    singles = _shared_units(singles)
    columns = [c for c in singles.collect_schema().names() if c not in ("_low_end", "_high_end")]
    # Back in reading order: token by token, and a score's numbers by their offset.
    return pl.concat([singles.select(columns), scores.select(columns)]).sort("_row", "char_start")


def extract_metrics(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """Every metric of every paragraph (`article_id`, `paragraph_no`, `kind`, `text`)."""
    tokens = number_tokens(paragraphs.filter(~pl.col("kind").is_in(SKIPPED_KINDS)))
    readings = _ranges_and_scores(read_metrics(tokens))
    # A token whose number cannot be read ("1.2.3") is not a metric: never a null value.
    return readings.filter(pl.col("reason").is_null() & pl.col("value").is_finite()).with_columns(
        char_end=pl.col("char_start") + pl.col("raw").str.len_chars().cast(pl.Int64),
        metric_id=span_id(),
    )
