"""Metrics: every stated quantity in the paragraphs, read the Vietnamese way, from the token pass.

How it works, all vectorised over the batch:
1. `numbers.number_tokens`: every number inside the words that hold a digit, with the pieces
   of text either side of it up to the numbers before and after it (numbers.py).
2. What the rules ask of a number, of a piece, of a short gap between two numbers and of a
   unit is asked once per distinct value, in small tables (`_NUMBER_FACTS`, `_PIECE_FACTS`,
   `_GAP_FACTS`, `_UNIT_FACTS`), and gathered or joined to the numbers: a regex runs over a
   few thousand distinct strings, never once per number.
3. `classify_tokens` names why a number is *not* a metric (date, year, document number, name,
   ...); what is left is a metric.
4. `read_metrics` reads the scale word, unit, kind, value, qualifier and change of each token;
   `_ranges_and_scores` makes one row of a range ("38-40 độ", "20 - 50%", "từ 7 đến 15 năm",
   with `value_high`) and two rows of a score ("thắng 2-1").

Where a regex still reads text per number: the subject (`_phrase_before`, `_phrase_after`: the
words around a metric, cut at punctuation and linking words, are output as written) and the
hours of a day named up to 30 characters before "giờ".
"""

from __future__ import annotations

import itertools

import polars as pl

from archive_etl.parse.lexicon import (
    CHANGE_WORDS,
    COMMON_WORDS,
    CURRENCIES,
    DATE_WORDS,
    DURATION_UNITS,
    FUNCTION_WORDS,
    MEASURE_UNITS,
    MONEY_UNITS,
    MULTIPLIER_WORDS,
    NOT_SCALE_AFTER,
    NOT_UNIT_PAIRS,
    NOT_UNITS,
    ONE_WORD_UNITS,
    QUALIFIER_WORDS,
    QUALIFIER_WORDS_AFTER,
    SCALES,
    SCORE_WORDS,
    SHAPES,
    TWO_WORD_UNITS,
)
from archive_etl.parse.not_metric import NOT_METRIC_RULES, Rules, classify
from archive_etl.parse.numbers import (
    LONG_GAP,
    Pieces,
    counted,
    in_one_pass,
    in_words,
    number_tokens,
    numbers_in_words,
    pair,
    pair_rows,
    shifted,
)
from archive_etl.parse.spans import between, sentence_around, span_id
from archive_etl.parse.tokens import NUMBER as DIGIT_SHAPE
from archive_etl.parse.tokens import Tokens, gather
from archive_etl.parse.wordrows import on_distinct

# One number of a chain ("38" and "40" of "38-40").
PART = r"[0-9][0-9.,/:]*[0-9]|[0-9]"
# Characters of text read either side of a metric for its subject, at most.
_CONTEXT = 80
_ENDS_WITH_PUNCT = r"[.,;:!?)\]}”\"…]$"

# A stock index named ("VN-Index", "chỉ số HNX"); prices named at the head of a table, and a
# value that is no price ("giá trị").
_INDEX_WORD = r"index|vn30|hnx|upcom|nasdaq|nikkei|s&p"
_PRICE_WORD = r"(?:^|[^\p{L}])Giá(?:[^\p{L}]|$)"
_PAIRS = {"m_index_pair": ("chỉ", "số"), "m_dow_pair": ("dow", "jones"), "m_value_pair": ("giá", "trị")}
# The words the metric rules read: those with a digit, and those that may name an index or a
# price further back than a number's neighbours.
MARKS: dict[str, pl.Expr] = {
    "m_digit": pl.col("shape") == DIGIT_SHAPE,
    "m_index": pl.col("lower").str.contains(_INDEX_WORD),
    "m_price": pl.col("word").str.contains(_PRICE_WORD),
    **{name: pl.col("lower").str.ends_with(first) for name, (first, _) in _PAIRS.items()},
}


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
_MONEY = CURRENCIES | MONEY_UNITS
# Acronyms glued to a number that are units ("50MW", "128GB", "399USD"); others are codes.
_GLUED_ACRONYMS = (
    r"(?i)^(?:usd|vnd|vnđ|gb|mb|tb|kb|mw|kw|kwh|mwh|gw|hp|cc|ml|km|kg|ha|mm|cm|nm|ghz|mhz|mah|v|kv|w)$"
)


def _known_unit(word: pl.Expr) -> pl.Expr:
    """A unit word, or a rate whose first part is one ("đồng/kg", "lượt/ngày", "km/h")."""
    head = word.str.extract(r"^([^/]+)/", 1)
    return in_words(word, ONE_WORD_UNITS) | in_words(head, ONE_WORD_UNITS)


def _number_facts() -> dict[str, pl.Expr]:
    """What the rules ask of a number as written (`token`) and of the pieces of its word around
    it (`pre`, `post`): once per distinct number of a distinct word."""
    tok, pre, post = pl.col("token"), pl.col("pre"), pl.col("post")
    glued = post.str.extract(
        r"^(?:-(\p{Ll}[\p{L}²³0-9]*)|(\p{L}[\p{L}²³0-9]*(?:/[\p{L}0-9²³]+)?))", 0
    ).str.strip_chars_start("-")
    parts = tok.str.extract_all(PART)
    part, high = parts.list.first(), parts.list.get(1, null_on_oob=True)
    of = {"token": tok, "pre": pre, "post": post}
    return {
        **{shape.name: of[shape.of].str.contains(shape.pattern) for shape in SHAPES},
        "first": tok.str.extract(r"^([0-9]+)", 1).cast(pl.Int64, strict=False),
        "second": tok.str.extract(r"^[0-9]+[/.\-–]([0-9]+)", 1).cast(pl.Int64, strict=False),
        "t_int": tok.cast(pl.Int64, strict=False),
        "t_plain": tok.str.extract(r"^([0-9]+)$", 1).cast(pl.Int64, strict=False),
        "t_2_3": tok.is_in(["2", "3"]),
        "t_phone": tok.str.replace_all(r"[.\s]", "").str.contains(r"^0[0-9]{8,}$"),
        "n_parts": parts.list.len(),
        "t_ratio": part.str.contains(r"^[0-9][0-9.,]*/[0-9][0-9.,]*$"),
        "_low": parse_number(part.str.extract(r"^([^/]+)", 1)),
        "_high_value": parse_number(high),
        "_over": parse_number(part.str.extract(r"/(.+)$", 1)),
        "_parts": parts,
        "post_empty": post == "",
        "post_pct": post.str.starts_with("%"),
        "post_dash": post.is_in(["-", "–"]),
        "post_dot": post == ".",
        "post_close": post.str.starts_with(")"),
        "post_ends": (post == "") | post.str.contains(r"^[,.;:)]"),
        "post_rate": post.str.extract(r"^%(/\p{L}+)", 1),
        # "1m63" is 1.63 m.
        "_cm": (post.str.extract(r"^m([0-9]{2})\b", 1).cast(pl.Float64, strict=False) / 100).fill_null(0.0),
        "glued": glued,
        "glued_unit": glued.str.to_lowercase().str.replace(r"^m[0-9]{2}$", "m"),  # "1m63": metres
        "glued_code": glued.is_not_null()
        & (
            glued.str.contains(r"\p{Lu}") & ~glued.str.contains(_GLUED_ACRONYMS)
            | (glued.str.contains(r"[0-9]") & ~glued.str.contains(r"(?i)^(?:m|km|cm)[23²³]$|^m[0-9]{2}$"))
            | glued.str.contains(r"(?i)^x[0-9]*$")
        ),
        "percent_sign": pl.when(post.str.starts_with("%")).then(pl.lit("%")).otherwise(pl.lit("")),
    }


def _piece_facts() -> dict[str, pl.Expr]:
    """What the rules ask of a word or piece around a number (`raw`, `bare`): once per piece."""
    raw, bare = pl.col("raw"), pl.col("bare")
    # As a unit after the number: "2 triệu đồng/m2" reads "đồng/m2".
    unit = raw.str.strip_chars(".,;:!?)(“”\"'…").str.to_lowercase()
    acronym = raw.str.extract(r"^(\p{Lu}{2,6}[0-9]?)[.,;:)]*$", 1).str.to_lowercase()
    initial = raw.str.contains(r"^\p{Lu}\.$")
    return {
        "end_punct": raw.str.contains(_ENDS_WITH_PUNCT),
        "letter_start": raw.str.contains(r"^\p{L}"),
        "has_upper": raw.str.contains(r"\p{Lu}"),
        "open_letter_start": raw.str.strip_chars_start("([“\"'").str.contains(r"^\p{L}"),
        "latin_name": raw.str.contains(r"^[A-Za-z][A-Za-z0-9\-]*$") & raw.str.contains(r"[A-Z]"),
        "upper_start": raw.str.contains(r"^\p{Lu}"),
        "pct_start": raw.str.starts_with("%"),
        "upper_quote": raw.str.contains(r"^[\p{Lu}“\"]"),
        "upper_quote_paren": raw.str.contains(r"^[\p{Lu}“\"(]"),
        "upper_quote_digit": raw.str.contains(r"^[\p{Lu}“\"0-9]"),
        "initial": initial,
        "cap_word": raw.str.contains(r"^\p{Lu}(?:\p{Ll}|\.|$)"),
        "code_slash": raw.str.contains(r"^\p{Lu}[\p{L}]*/"),
        "bare_letter_start": bare.str.contains(r"^\p{L}"),
        "lich": raw.str.starts_with("lịch"),
        "u_unit": unit,
        "u_lower": raw.str.contains(r"^[\p{Ll}°]"),
        "u_noun": bare.str.contains(r"^\p{Ll}+(?:-\p{Ll}+)*$"),
        "u_second": raw.str.contains(r"^\p{Ll}+[,.;:]?$") & bare.str.contains(r"^\p{Ll}+$"),
        "u_acronym": pl.when(~in_words(acronym, NOT_UNITS)).then(acronym),
        # Units written in Latin letters keep their own capitals: "220 Nm", "50 kW", "1 triệu Euro".
        "u_latin": raw.str.contains(r"^[A-Za-zµμ]+[0-9²³]?[.,;:)]*$") & ~initial & _known_unit(unit),
        "u_known": _known_unit(unit),
        "u_rate": unit.str.contains(r"^\p{Ll}+/\p{Ll}+[0-9²³]*$"),
        "u_initial_dot": raw.str.contains(r"^\p{Lu}\."),
    }


def _gap_facts() -> dict[str, pl.Expr]:
    """What the rules ask of the text between a number and the one before it (`gap`)."""
    gap = pl.col("gap")
    return {
        "g_space": gap == " ",
        "g_plus": gap == "+",
        "g_marker": gap.is_in(["(", "-", "- "]),
        "g_phone": gap.is_in([" ", ".", "-", " - "]),
        "g_listed": gap.str.contains(r"^\s*(?:,|;|và|&|hoặc)?\s*$"),
        "g_days": gap.str.contains(r"^\s*(?:,|và|[-–]|đến|tới)\s*$"),
        "g_years": gap.str.contains(r"^\s*(?:,|và|hoặc|[-–])\s*$"),
        "g_hour": gap.str.contains(r"^\s*giờ\s*$"),
        "g_sets": gap.str.contains(r"^\s*(?:[(,;]|và)\s*$"),
        "g_shared": gap.str.contains(r"^\s*(?:,|và|hoặc|hay|x|×|[-–]|đến|tới)\s*$"),
        "g_range": gap.str.contains(r"^\s*(?:[-–~]|đến|tới)\s*$"),
        "g_prose": gap.str.strip_chars().str.contains(" ", literal=True),
    }


def _tail_facts() -> dict[str, pl.Expr]:
    """What the rules ask of the end of that text (`gap_tail`)."""
    tail = pl.col("gap_tail")
    return {
        "g_open_comma": tail.str.contains(r"[(,]\s*$"),
        "g_sentence": tail.str.contains(r"(?:[.!?:;”\"…]\s+|^\s*[-–•+*]\s*|\(\s*)$"),
        "g_ends_open": tail.str.ends_with("("),
        "g_ends_space": tail.str.ends_with(" "),
    }


def _next_gap_facts() -> dict[str, pl.Expr]:
    """What the rules ask of the text between a number and the one after it (`next_gap`)."""
    gap = pl.col("next_gap")
    return {
        "ng_year": gap.str.contains(r"^\s*năm(?: học)?\s*$"),
        "ng_month": gap.str.contains(r"^\s*tháng\s*$"),
        "ng_day": gap.str.contains(r"^\s*ngày\s*$"),
        "ng_exponent": gap.str.contains(r"^\s*(?:m|km|cm)\s+$"),
    }


def _unit_facts() -> dict[str, pl.Expr]:
    """What the rules ask of a unit once it is read (`unit`)."""
    unit = pl.col("unit")
    head = unit.str.extract(r"^([^/ ]+)", 1)
    before_slash = unit.str.extract(r"^([^/]+)", 1)
    return {
        "u_pct": unit.str.starts_with("%"),
        "u_is_known": _known_unit(unit),
        "u_known_any": (_known_unit(unit) | in_words(unit, TWO_WORD_UNITS)).fill_null(False),
        "u_strong": (
            in_words(head, CURRENCIES | MEASURE_UNITS | DURATION_UNITS)
            | in_words(unit, MEASURE_UNITS | MONEY_UNITS | DURATION_UNITS)
        ),
        "u_money": in_words(unit, _MONEY) | in_words(before_slash, _MONEY),
        "u_measure": in_words(unit, MEASURE_UNITS)
        | in_words(before_slash, MEASURE_UNITS)
        | unit.str.ends_with(" tuổi"),
        "u_duration": in_words(head, DURATION_UNITS) | in_words(unit, DURATION_UNITS),
        "unit_words": unit.str.count_matches(" ").fill_null(-1) + 1,
    }


def _units(frame: pl.DataFrame, pieces: Pieces) -> pl.DataFrame:
    """The scale words after each number, the words after them where the unit stands, and the
    unit: the counted noun or unit, lowercase, without the scale word; null when none."""
    frame = _scales(frame, pieces)
    u1, u2 = pieces.fact("bare", "_u1"), pieces.fact("bare", "_u2")
    frame = in_one_pass(frame, _u12=pair(u1, u2))
    frame = in_one_pass(frame, unit=_unit(pieces))
    return on_distinct(frame, "unit", _unit_facts()).with_columns(
        # A unit no name or document number takes: money, a measure, a duration, a scale, a percentage.
        _strong_unit=((pl.col("_scale_words") > 0) | pl.col("u_pct") | pl.col("u_strong")).fill_null(False)
    )


def _scales(frame: pl.DataFrame, pieces: Pieces) -> pl.DataFrame:
    """`_scale_words` (0, 1 or 2 after the number), `_scale`, the ids of the two pieces after
    them (`_u1`, `_u2`), `_closed` and `_date_follows`."""
    post_empty = pl.col("post_empty")
    first, second = pl.col("next1"), pl.col("next2")
    scale_words = (
        pl.when(
            post_empty
            & in_words(pair(first, second), frozenset(SCALES))
            & ~pieces.bare_in(NOT_SCALE_AFTER, "_n3")
        )
        .then(2)
        .when(post_empty & pieces.bare_in(frozenset(SCALES), "_n1") & ~pieces.bare_in(NOT_SCALE_AFTER, "_n2"))
        .then(1)
        .otherwise(0)
    )
    frame = in_one_pass(frame, _scale_words=scale_words)
    s = pl.col("_scale_words")

    def after_scale(i: int) -> pl.Expr:
        """The id of the piece i places after the scale words."""
        return (
            pl.when(s == 0)
            .then(pl.col(f"_n{i}"))
            .when(s == 1)
            .then(pl.col(f"_n{i + 1}"))
            .otherwise(pl.col(f"_n{i + 2}"))
        )

    # "5.000 tỷ, phần thiếu ...": punctuation after the scale word ends the figure there.
    last_scale = pl.when(s == 1).then(pl.col("_n1")).when(s == 2).then(pl.col("_n2"))
    return in_one_pass(
        frame,
        _u1=after_scale(1),
        _u2=after_scale(2),
        _scale=pl.when(s == 2).then(pair("next1", "next2")).when(s == 1).then(pl.col("next1")),
        _closed=(s > 0) & pieces.fact("end_punct", last_scale).fill_null(False),
        # "77 năm 2017", "6 tháng 12", "ca 1 ngày 5/2": the word after the number introduces a
        # date, so it is not the number's unit.
        _date_follows=(
            (pl.col("ng_year") & pl.col("_next_year_head"))
            | (pl.col("ng_month") & pl.col("_next_month_head"))
            | (pl.col("ng_day") & pl.col("_next_dm_head"))
        ).fill_null(False),
    )


def _unit(pieces: Pieces) -> pl.Expr:
    """The unit from the pieces after the scale words, in the order the rules try them."""
    post_empty = pl.col("post_empty")
    u1 = pieces.fact("bare", "_u1")
    u1_unit = pieces.fact("u_unit", "_u1")
    open_after_u1 = ~pieces.fact("end_punct", "_u1").fill_null(True)
    spaced = post_empty | (pl.col("_scale_words") > 0)
    # Units and counted nouns are written in lowercase; a capitalised word is a name ("3 Bộ luật").
    lower = pieces.fact("u_lower", "_u1").fill_null(False)
    noun = (
        lower
        & pieces.fact("u_noun", "_u1").fill_null(False)
        & ~pieces.bare_in(FUNCTION_WORDS | NOT_UNITS, "_u1")
    )
    noun_u2 = pieces.fact("u_second", "_u2").fill_null(False) & ~pieces.bare_in(
        FUNCTION_WORDS | NOT_UNITS | DURATION_UNITS, "_u2"
    )
    acronym = pieces.fact("u_acronym", "_u1")
    percent = (
        pl.col("post_pct")
        | (post_empty & pieces.fact("pct_start", "_n1").fill_null(False))
        | ((pl.col("next1") == "phần") & (pl.col("next2") == "trăm")).fill_null(False)
    )
    # "40 m 2": the exponent of a square metre pushed off by a space.
    exponent = pl.col("ng_exponent") & pl.col("_next_2_3")
    u12 = pl.col("_u12")
    return (
        pl.when(percent)
        .then(pl.concat_str(pl.lit("%"), pl.col("post_rate").fill_null("")))
        .when(pl.col("glued").is_not_null())
        .then(pl.col("glued_unit"))
        .when(~spaced | pl.col("_date_follows") | pl.col("_closed") | in_words(u12, NOT_UNIT_PAIRS))
        .then(None)
        .when(exponent.fill_null(False))
        .then(pl.concat_str(u1, pl.col("_next_token")))
        .when(pieces.fact("u_latin", "_u1").fill_null(False))
        .then(u1_unit)
        # Known units and nouns count whatever their case: Party and government news capitalise
        # what they count ("14 Đảng ủy phường", "06 Kế hoạch"); an unknown capitalised word is
        # a name.
        .when(open_after_u1 & in_words(u12, TWO_WORD_UNITS))
        .then(u12)
        .when(
            (lower | ~pieces.fact("u_initial_dot", "_u1").fill_null(False))
            & pieces.fact("u_known", "_u1").fill_null(False)
            | (lower & pieces.fact("u_rate", "_u1").fill_null(False))
        )
        .then(u1_unit)
        .when(acronym.is_not_null())
        .then(acronym)
        # "ở tuổi 25": an age stated with the noun first.
        .when(pl.col("prev1") == "tuổi")
        .then(pl.lit("tuổi"))
        .when(noun & open_after_u1 & noun_u2)
        .then(u12)
        .when(noun)
        .then(u1)
    )


def _score(pieces: Pieces) -> pl.Expr:
    """A chain "a-b" read as a score (two counts): after a word of the game ("tỷ số 2-1",
    "thắng 3-0"), between two teams ("Hamburger 2-0 Koln"), or a set score in brackets after one."""
    # A word of the game among the words before: "tỷ số 2-1", "chiến thắng đậm đà 3-0".
    prev = [pl.col(f"prev{i}") for i in (1, 2, 3, 4, 5)]
    worded = pl.any_horizontal(
        *(pieces.bare_in(SCORE_WORDS, f"_p{i}") for i in (1, 2, 3, 4, 5)),
        *(in_words(pair(b, a), SCORE_WORDS) for a, b in itertools.pairwise(prev)),
    )
    teams = (
        pieces.fact("upper_start", "_p1").fill_null(False)
        & pieces.fact("upper_start", "_n1").fill_null(False)
        & ~pieces.bare_in(COMMON_WORDS | DATE_WORDS | FUNCTION_WORDS, "_p1")
    )
    unit = pl.col("unit")
    return (
        pl.col("t_score")
        & pl.col("post_ends")
        & (worded | teams)
        & (unit.is_null() | ~(pl.col("u_is_known") | pl.col("u_pct")))
    )


def _set_scores(tokens: pl.DataFrame) -> pl.DataFrame:
    """Set scores in brackets after a score are scores too: "2-1 (7-6, 3-6, 9-7)"."""
    for _ in range(4):
        after_score = shifted(pl.col("_score"), 1).fill_null(False)
        tokens = tokens.with_columns(
            _score=pl.col("_score") | (pl.col("t_set_score") & pl.col("g_sets") & after_score)
        )
    return tokens


def _kind() -> pl.Expr:
    unit = pl.col("unit")
    return (
        pl.when(pl.col("u_pct"))
        .then(pl.lit("percent"))
        .when(pl.col("t_ratio") | (in_words(pl.col("prev1"), MULTIPLIER_WORDS) & (unit == "lần")))
        .then(pl.lit("ratio"))
        .when(pl.col("u_money"))
        .then(pl.lit("amount"))
        .when(pl.col("u_measure"))
        .then(pl.lit("measure"))
        # A stock index moves in points: "VN-Index tăng 0,32 điểm lên 725,03 điểm".
        .when((unit == "điểm") & pl.col("_index_named"))
        .then(pl.lit("measure"))
        .when(pl.col("u_duration"))
        .then(pl.lit("duration"))
        .when(unit.is_null() & ((pl.col("_scale_words") > 0) | pl.col("_price_cell")))
        .then(pl.lit("amount"))
        .otherwise(pl.lit("count"))
    )


def _price_cells() -> pl.Expr:
    """Bare numbers of a price table ("Giá mở cửa Giá cao ... 17-Jun 213 213 208 211,2"): a run
    of numbers with at most a word between them, after a gap that names prices."""
    first_in_paragraph = shifted(pl.col("char_start"), 1).is_null()
    starts = pl.col("g_prose") | first_in_paragraph
    return pl.when(starts).then(pl.col("_price_named")).forward_fill() & ~starts


def _lookup(expr: pl.Expr, mapping: dict[str, str]) -> pl.Expr:
    return expr.replace_strict(mapping, default=None, return_dtype=pl.String)


# Words that end the noun phrase after a number: "tuyến phố | trên địa bàn", "kế hoạch tu dưỡng | của".
_PHRASE_STOPS = "của|và|được|đã|là|với|trong|tại|để|cho|theo|thuộc|so|trên|từ|đến|nhằm|do|khi|đạt"
# Pieces read either side of a metric for its subject: eight words and the lead-in words.
_SUBJECT_PIECES = 12
# Verbs and qualifiers that lead into a number; they are not part of what it measures.
_LEAD_IN_WORDS = (
    "đạt", "là", "với", "trên", "hơn", "gần", "khoảng", "xấp xỉ", "dưới", "chiếm", "bằng", "tăng",
    "giảm", "còn", "có", "được", "tới", "đến", "ít nhất", "tối đa", "tối thiểu", "ngoài",
)  # fmt: skip


def _phrase_after(pieces: Pieces) -> pl.Expr:
    """The words after the number up to punctuation or a linking word (at most eight)."""
    head = pieces.text_after(8).str.slice(0, _CONTEXT * 2).str.replace(r"^\s*%", "")
    phrase = head.str.extract(r"^\s*([^.,;:!?()\[\]“”\"…]+)", 1).str.extract(r"^(\S+(?: \S+){0,7})", 1)
    return phrase.str.replace(rf"^(\S+.*?) (?:{_PHRASE_STOPS})(?: .*)?$", "${1}")


def _phrase_before(pieces: Pieces) -> pl.Expr:
    """Up to eight words before the number, back to punctuation, without the verb or qualifier."""
    tail = (
        pieces.text_before(_SUBJECT_PIECES)
        .str.slice(-_CONTEXT * 2)
        .str.extract(r"([^.,;:!?()\[\]“”\"…]*)$", 1)
    )
    tail = tail.str.replace(rf"(?i)(?:\s+(?:{'|'.join(_LEAD_IN_WORDS)}))+\s*$", "")
    return tail.str.extract(r"((?:\S+ ){0,7}\S+)\s*$", 1)


def _subject() -> pl.Expr:
    """What a metric measures, from the phrases after and before it (`_after`, `_before`)."""
    after, before = pl.col("_after"), pl.col("_before")
    after_words = after.str.count_matches(" ") + 1
    return (
        pl.when(pl.col("kind") == "percent")
        .then(
            pl.when(
                after.str.contains(r"^\p{L}")
                & ~in_words(after.str.extract(r"^(\S+)", 1).str.to_lowercase(), FUNCTION_WORDS)
            )
            .then(after)
            .otherwise(before)
        )
        .when(after_words > pl.col("unit_words"))
        .then(after)
        .otherwise(pl.coalesce(before.str.strip_chars().replace("", None), after))
        .str.strip_chars()
    )


def _qualifier() -> pl.Expr:
    return pl.coalesce(
        _lookup(pl.col("_pair21"), QUALIFIER_WORDS),
        _lookup(pl.col("prev1"), QUALIFIER_WORDS),
        _lookup(pl.col("_pair12n"), QUALIFIER_WORDS_AFTER),  # "18 trở lên"
        _lookup(pair("next2", "next3"), QUALIFIER_WORDS_AFTER),  # "18 tuổi trở lên"
    )


def _change() -> pl.Expr:
    """ "giảm 10%", and "tăng hơn 10%" where a qualifier stands between; a price cut or rise
    ("giảm giá 20%", "giảm giá từ 20-50%") too; a level reached ("giảm còn 4%", "tăng lên 12,5%",
    "giảm từ 5% xuống 4%") has none."""
    prev1, prev2, prev3 = pl.col("prev1"), pl.col("prev2"), pl.col("prev3")
    prev_pair = pl.col("_pair21")
    qualifier_before = pl.coalesce(_lookup(prev_pair, QUALIFIER_WORDS), _lookup(prev1, QUALIFIER_WORDS))
    return pl.coalesce(
        _lookup(prev1, CHANGE_WORDS),
        pl.when(qualifier_before.is_not_null() | prev1.is_in(["thêm", "được", "giá"])).then(
            _lookup(prev2, CHANGE_WORDS)
        ),
        pl.when(_lookup(prev_pair, QUALIFIER_WORDS).is_not_null() | (prev_pair == "giá từ")).then(
            _lookup(prev3, CHANGE_WORDS)
        ),
    )


def _context(tokens: Tokens) -> dict[str, pl.Series]:
    """The rows of the word frame where an index or a price is named, or a value ("giá trị")."""

    def rows(mark: str) -> pl.Series:
        return tokens.bearing(mark)["_rw"]

    def pair(mark: str) -> pl.Series:
        return pair_rows(tokens, mark, _PAIRS[mark][1])

    return {
        "index": pl.concat([rows("m_index"), pair("m_index_pair"), pair("m_dow_pair")]).sort(),
        "price": rows("m_price"),
        # "giá trị" is counted at its first word, so a pair across the gap's start is in it.
        "value": pair("m_value_pair"),
    }


def classified(words: Tokens, rules: Rules = NOT_METRIC_RULES) -> tuple[pl.DataFrame, Pieces]:
    """Every number with its facts, its unit and `reason`: why it is no metric, by `rules`
    (null for a metric)."""
    numbers = numbers_in_words(words.vocab)
    numbers = numbers.with_columns(**_number_facts())
    pieces = Pieces.of(words, numbers, _piece_facts())
    frame = number_tokens(words, numbers, pieces)
    context = _context(words)
    row, reached = pl.col("_rw"), pl.col("_reached")
    gap_start = row - reached
    frame = frame.with_columns(
        # The end of the gap, for end-anchored patterns: a long gap's last word and the number's
        # piece of its word (after a mark no pattern anchored at the start takes).
        gap_tail=pl.when(pl.col("gap") == LONG_GAP)
        .then(pl.concat_str(pl.lit("\x1f "), "prev1_raw", pl.lit(" "), "pre"))
        .otherwise("gap"),
        # The paragraph has named a stock index by this number ("VN-Index", "chỉ số HNX").
        _index_named=counted(context["index"], row - pl.col("pos"), row) > 0,
        _price_named=(counted(context["price"], gap_start, row) > 0)
        & (counted(context["value"], gap_start, row) == 0),
        _pair21=pair("prev2", "prev1"),
        _pair12n=pair("next1", "next2"),
        _joined=~pieces.fact("end_punct", "_p1").fill_null(False) & ~pl.col("pre_open"),
        # The end of the text before the number, for the hours of a day ("lúc", "đêm").
        _gap30=pieces.text_before(8).str.slice(-30),
        # What the rules ask of the number after this one.
        **{
            f"_next_{name}": shifted(pl.col(column), -1)
            for name, column in {
                "year_head": "t_year_head",
                "month_head": "t_month_head",
                "dm_head": "t_dm_head",
                "plain": "t_plain",
                "2_3": "t_2_3",
            }.items()
        },
    )
    frame = on_distinct(frame, "gap", _gap_facts())
    frame = on_distinct(frame, "gap_tail", _tail_facts())
    frame = on_distinct(frame, "next_gap", _next_gap_facts())
    frame = _units(frame, pieces)
    frame = in_one_pass(frame, _price_cell=_price_cells(), _score=_score(pieces))
    return classify(_set_scores(frame), pieces, rules), pieces


def number_reasons(words: Tokens, rules: Rules = NOT_METRIC_RULES) -> pl.DataFrame:
    """Each number as written (`token`, `char_start`) with `reason`: why it is no metric."""
    return classified(words, rules)[0].select("_para", "token", "char_start", "reason")


def read_metrics(words: Tokens) -> tuple[pl.DataFrame, Pieces]:
    """Every number classified; of those that are metrics, scale, unit, kind, value, qualifier,
    change and subject (the others are dropped once their neighbours no longer need them)."""
    frame, pieces = classified(words)
    scale = pl.col("_scale").replace_strict(SCALES, default=1.0, return_dtype=pl.Float64)
    kept = (
        frame.with_columns(
            # Whether the next number is a metric too: ranges and shared units join only neighbours.
            _next_kept=shifted(pl.col("reason").is_null(), -1).fill_null(False)
        )
        .filter(pl.col("reason").is_null())
        .with_columns(_factor=scale)
    )
    kept = in_one_pass(
        kept,
        kind=_kind(),
        qualifier=_qualifier(),
        change=_change(),
        _after=_phrase_after(pieces),
        _before=_phrase_before(pieces),
    )
    return (
        in_one_pass(
            kept,
            value=pl.col("_low") * pl.col("_factor") + pl.col("_cm"),
            value_high=pl.col("_high_value") * pl.col("_factor"),
            denominator=pl.when(pl.col("kind") == "ratio").then(pl.col("_over")),
            subject=_subject(),
        ),
        pieces,
    )


def _shared_units(rows: pl.DataFrame) -> pl.DataFrame:
    """A unit written once for numbers listed together is each one's: "lần lượt 6,9 và 10,9 tỷ
    đồng", "1,02 tỷ và 1,175 tỷ đồng", "143,5 x 70,9 x 7,3 mm"."""
    for _ in range(3):  # lists of up to four numbers
        nxt = {c: shifted(pl.col(c), -1) for c in ("g_shared", "unit", "kind", "reason", "_factor")}
        listed = pl.col("_next_kept") & nxt["g_shared"].fill_null(False)
        takes = (
            listed
            & pl.col("unit").is_null()
            & pl.col("reason").is_null()
            & pl.col("post_empty")
            & nxt["reason"].is_null()
            & nxt["unit"].is_not_null()
            & ~nxt["unit"].str.starts_with("%").fill_null(False)
        ).fill_null(False)
        scaled = takes & (pl.col("_factor") == 1)
        rows = rows.with_columns(
            value=pl.when(scaled).then(pl.col("value") * nxt["_factor"]).otherwise("value"),
            value_high=pl.when(scaled).then(pl.col("value_high") * nxt["_factor"]).otherwise("value_high"),
            _factor=pl.when(scaled).then(nxt["_factor"]).otherwise("_factor"),
            unit=pl.when(takes).then(nxt["unit"]).otherwise("unit"),
            kind=pl.when(takes).then(nxt["kind"]).otherwise("kind"),
        )
    return rows


def _ranges_and_scores(readings: pl.DataFrame) -> pl.DataFrame:
    """One row per metric: a chain "a-b" is a range (one row, `value_high` b) or a score (a row
    per number); "a - b unit" and "từ a đến b unit" across two tokens are one range row."""
    n_parts = pl.col("n_parts")
    score = pl.col("_score") | (
        (n_parts == 2) & (pl.col("value_high") < pl.col("value")) & pl.col("unit").is_null()
    )
    spaced_percent = pl.col("post_empty") & pl.col("next1_raw").str.starts_with("%").fill_null(False)
    sign = (
        pl.when(spaced_percent & (pl.col("percent_sign") == ""))
        .then(pl.lit(" %"))
        .otherwise(pl.col("percent_sign"))
    )
    frame = readings.with_columns(
        _is_score=score & (n_parts >= 2),
        reason=pl.when((n_parts >= 3) & ~score).then(pl.lit("number_chain")).otherwise("reason"),
        raw=pl.concat_str(pl.col("token"), sign),
    )
    singles = _shared_units(_ranges(frame.filter(~pl.col("_is_score"))))
    scores = _score_rows(frame.filter(pl.col("_is_score")))
    columns = [c for c in singles.columns if c not in ("_low_end", "_high_end")]
    # Back in reading order: token by token, and a score's numbers by their offset.
    return pl.concat([singles.select(columns), scores.select(columns)]).sort("_row", "char_start")


def _score_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """A row per number of each score, at its own offset, after the separators before it
    ("2-1", "1:–0"), each a count of nothing named."""
    separators = between(pl.col("token"), PART).list.head(pl.col("n_parts"))
    length = pl.col("_p").str.len_chars().cast(pl.Int64) + pl.col("_sep").str.len_chars().cast(pl.Int64)
    return (
        frame.with_columns(_p=pl.col("_parts"), _sep=separators, _score_row=pl.int_range(pl.len()))
        .explode("_p", "_sep")
        .with_columns(
            _offset=(length.cum_sum() - pl.col("_p").str.len_chars().cast(pl.Int64)).over("_score_row")
        )
        .with_columns(
            char_start=pl.col("char_start") + pl.col("_offset"),
            raw=pl.col("_p"),
            value=parse_number(pl.col("_p")),
            value_high=pl.lit(None, pl.Float64),
            unit=pl.lit(None, pl.String),
            kind=pl.lit("count"),
            qualifier=pl.lit(None, pl.String),
            change=pl.lit(None, pl.String),
        )
        .drop("_p", "_sep", "_offset", "_score_row")
    )


def _ranges(singles: pl.DataFrame) -> pl.DataFrame:
    """A number without a unit, then a connector, then a number with one, is the low end of a
    range stated once ("20 - 50%", "từ 7 đến 15 năm"); the high end's row goes."""
    nxt = {
        c: shifted(pl.col(c), -1)
        for c in ("g_range", "gap", "token", "unit", "kind", "reason", "value", "raw", "_factor")
    }
    # The low end takes the scale of the high one: "20 - 30 triệu" is 20 000 000 to 30 000 000.
    scaled = pl.when(pl.col("_factor") == 1).then(pl.col("value") * nxt["_factor"]).otherwise("value")
    connector = pl.col("_next_kept") & nxt["g_range"].fill_null(False)
    low_end = (
        connector
        & pl.col("unit").is_null()
        & pl.col("post_empty")
        & pl.col("value_high").is_null()
        & nxt["reason"].is_null()
        & nxt["unit"].is_not_null()
        & pl.col("reason").is_null()
    )
    singles = singles.with_columns(_low_end=low_end.fill_null(False)).with_columns(
        _high_end=shifted(pl.col("_low_end"), 1).fill_null(False)
    )
    return singles.with_columns(
        value=pl.when("_low_end").then(scaled).otherwise("value"),
        value_high=pl.when("_low_end").then(nxt["value"]).otherwise("value_high"),
        unit=pl.when("_low_end").then(nxt["unit"]).otherwise("unit"),
        kind=pl.when("_low_end").then(nxt["kind"]).otherwise("kind"),
        raw=pl.when("_low_end").then(pl.concat_str(pl.col("token"), nxt["gap"], nxt["raw"])).otherwise("raw"),
    ).filter(~pl.col("_high_end"))


def extract_metrics(words: Tokens) -> pl.DataFrame:
    """Every metric of every paragraph, from the token pass over them."""
    readings, _ = read_metrics(words)
    readings = _ranges_and_scores(readings)
    # A token whose number cannot be read ("1.2.3") is not a metric: never a null value.
    found = readings.filter(pl.col("reason").is_null() & pl.col("value").is_finite()).with_columns(
        char_end=pl.col("char_start") + pl.col("raw").str.len_chars().cast(pl.Int64),
        metric_id=span_id(),
    )
    return found.with_columns(sentence=sentence_around(gather(words.paragraphs["text"], "_para")))
