"""Why a number is not a metric: the declared rules of `rules/not_metric.tsv`, compiled to Polars.

Each row of the table is one rule: its `reason`; the named conditions it needs (`when`) and
those that veto it (`unless`); a word list the word or two before the number must be in
(`before`: a word list of lexicon.py by name, or words separated by commas), read as `how`
says (`HOWS`); and an example, a sentence in which `number` is not a metric for this rule
alone. The test suite deletes each rule in turn and checks its example's reason changes.

A number takes the first reason of `REASONS` that one of its rules gives. A condition is the
neighbour logic the table cannot say, defined once in `_conditions` (dates' day and month
ranges, phone groups, list markers, proper nouns around the number), or a fact of the number
token itself (`t_4`: four digits, `g_space`: a space before it, ...: see metrics.py).
`classify` then spreads a reason over the numbers listed after it ("Kế hoạch số 03, 04") and
the groups of a phone number, windows over a paragraph's run of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from archive_etl.parse import lexicon
from archive_etl.parse.lexicon import (
    CHANGE_WORDS,
    CLASSIFIERS,
    COMMON_WORDS,
    COUNT_BEFORE_SO,
    DATE_WORDS,
    DURATION_UNITS,
    FUNCTION_WORDS,
    LINE_OPENERS,
    NOT_ORDINAL_PAIRS,
    NOT_UNITS,
    ONE_WORD_UNITS,
    QUALIFIER_WORDS,
    RATIO_LEADS,
    RULES,
    STRONG_DATE_WORDS,
    TWO_SYLLABLE_UNITS,
    TWO_WORD_UNITS,
)
from archive_etl.parse.numbers import Pieces, in_one_pass, in_words, shifted
from archive_etl.schema.wordtables import read_tsv

# In priority order: "ngày 15/8/2021" is a date before it is anything else.
REASONS = (
    "view_counter",
    "phone",
    "time",
    "date",
    "year_range",
    "year",
    "list_marker",
    "doc_number",
    "ordinal",
    "name",
)
# How `before` is read: the word or two words before the number with no punctuation between
# them ("joined"; in "UBND quận: 3370" the number is no district's name), the two words only
# ("joined_pair"), the word as written ("joined_word"); or whatever stands between: the word
# ("word"), the two words ("pair"), the word as written ("raw").
HOWS = ("joined", "joined_pair", "joined_word", "word", "pair", "raw")


@dataclass(frozen=True)
class Rule:
    """One row of `rules/not_metric.tsv`."""

    reason: str
    when: tuple[str, ...]
    unless: tuple[str, ...]
    before: frozenset[str]
    how: str
    number: str
    example: str


Rules = tuple[Rule, ...]


def load_rules(path: Path = RULES / "not_metric.tsv") -> Rules:
    """The rules of `path`, checked: a known reason and `how`, a `before` list that exists."""
    rules = []
    for n, row in enumerate(read_tsv(path), start=2):
        if row["reason"] not in REASONS or (row["before"] and row["how"] not in HOWS):
            raise ValueError(f"{path.name}:{n}: reason {row['reason']!r}, how {row['how']!r}")
        before = row["before"]
        if before.isupper() and not isinstance(vars(lexicon).get(before), frozenset):
            raise ValueError(f"{path.name}:{n}: no word list {before} in lexicon.py")
        if not (row["when"] or before):
            raise ValueError(f"{path.name}:{n}: a rule needs a condition or a word before")
        words = vars(lexicon)[before] if before.isupper() else before.split(",") if before else ()
        rules.append(
            Rule(
                row["reason"],
                tuple(row["when"].split()),
                tuple(row["unless"].split()),
                frozenset(words),
                row["how"],
                row["number"],
                row["example"],
            )
        )
    return tuple(rules)


NOT_METRIC_RULES = load_rules()
# Words before a number that lead into it, not name it: "của 5", "gần 300", "tăng 12".
_LEAD_WORDS = FUNCTION_WORDS | COMMON_WORDS | frozenset(QUALIFIER_WORDS) | frozenset(CHANGE_WORDS) | NOT_UNITS


def _of(column: str, n: int) -> pl.Expr:
    """Fact `column` of the number n places before (n > 0) or after; false past the paragraph."""
    return shifted(pl.col(column), n).fill_null(False)


def _before(pieces: Pieces, words: frozenset[str], how: str) -> pl.Expr:
    """Whether the word(s) before the number, read as `how` says, are one of `words`. Only the
    reading asked for is built: `bare_in` flags every piece of the batch at once."""
    joined = pl.col("_joined")
    if how in ("joined", "joined_pair"):
        unbroken = joined & ~pieces.fact("end_punct", "_p2").fill_null(False)
        pair_before = in_words(pl.when(unbroken).then(pl.col("_pair21")), words)
        return pair_before if how == "joined_pair" else (joined & pieces.bare_in(words, "_p1")) | pair_before
    if how == "joined_word":
        return in_words(pl.when(joined).then(pl.col("prev1")), words)
    if how == "word":
        return pieces.bare_in(words, "_p1")
    if how == "pair":
        return in_words(pl.col("_pair21"), words)
    return pl.col("prev1").is_in(sorted(words))  # "raw"


def compile_rules(rules: Rules, pieces: Pieces) -> dict[str, pl.Expr]:
    """Each reason of `REASONS` that `rules` give, with the condition under which it holds."""
    named = _conditions(pieces)

    def condition(name: str) -> pl.Expr:
        return named[name] if name in named else pl.col(name)

    out: dict[str, pl.Expr] = {}
    for reason in REASONS:
        held = []
        for rule in (r for r in rules if r.reason == reason):
            parts = [condition(name) for name in rule.when]
            parts += [~condition(name) for name in rule.unless]
            if rule.before:
                parts.append(_before(pieces, rule.before, rule.how))
            held.append(pl.all_horizontal(parts))
        if held:
            out[reason] = pl.any_horizontal(held)
    return out


def _conditions(pieces: Pieces) -> dict[str, pl.Expr]:
    """Every named condition of the rules."""
    named = _units_around(pieces)
    return named | _dates(pieces, named) | _names(pieces, named) | _runs(pieces)


def _units_around(pieces: Pieces) -> dict[str, pl.Expr]:
    """What follows the number: a unit, a counted noun, a noun, a date."""
    post_empty, unit = pl.col("post_empty"), pl.col("unit")
    first, second = pl.col("first"), pl.col("second")
    any_pair = pl.col("_pair21")
    has_unit = unit.is_not_null() | (pl.col("_scale_words") > 0)
    return {
        "has_unit": has_unit,
        "unit_named": unit.is_not_null(),
        "scaled": pl.col("_scale_words") > 0,
        "known_unit": pl.col("u_known_any").fill_null(False),
        "strong_unit": pl.col("_strong_unit"),
        "counted_noun": post_empty
        & (pieces.bare_in(CLASSIFIERS, "_n1") | in_words(pl.col("_pair12n"), TWO_SYLLABLE_UNITS)),
        "noun_follows": post_empty
        & pieces.fact("bare_letter_start", "_n1").fill_null(False)
        & ~pieces.bare_in(FUNCTION_WORDS, "_n1"),
        "date_follows": pl.col("_date_follows"),
        "duration_after": post_empty & pieces.bare_in(DURATION_UNITS, "_n1") & ~pl.col("_date_follows"),
        "day": first.is_between(1, 31),
        "month": first.is_between(1, 12),
        "valid_dm": first.is_between(1, 31) & second.is_between(1, 12),
        "year_number": first.is_between(1900, 2100),
        # A season "90/91": two years in a row.
        "consecutive": (second - first) % 100 == 1,
        "ratio_lead": pieces.bare_in(RATIO_LEADS, "_p1"),
        "not_ordinal_pair": in_words(any_pair, NOT_ORDINAL_PAIRS),
        # "xếp hạng 50 thương hiệu" is the size of a ranking; "xếp hạng 5" a rank.
        "ranking_size": (any_pair == "xếp hạng") & has_unit,
        "count_before_so": pieces.bare_in(COUNT_BEFORE_SO, "_p2"),
    }


def _dates(pieces: Pieces, named: dict[str, pl.Expr]) -> dict[str, pl.Expr]:
    """Hours of the day, days and months."""
    unit, tok_1_2, first = pl.col("unit"), pl.col("t_1_2"), pl.col("first")
    day_month = (
        first.is_between(1, 31) & tok_1_2 & pl.col("ng_month") & pl.col("_next_plain").is_between(1, 12)
    ) | (tok_1_2 & (pl.col("next1") == "tháng") & pl.col("next2").is_in(["giêng", "chạp"]))
    strong_date = pieces.bare_in(STRONG_DATE_WORDS, "_p1")
    return {
        # "khoảng 21 giờ 10 phút": past noon, "giờ" is the hour of the day.
        "clock": ((unit == "giờ") & pl.col("t_int").is_between(13, 23)).fill_null(False),
        # "buổi chiều 15-16 giờ", "lúc 7 giờ sáng": o'clock, not hours.
        "hour_of_day": (
            (unit == "giờ") & pl.col("_gap30").str.contains(r"(?i)sáng|chiều|tối|trưa|đêm|lúc|khuya")
        ).fill_null(False),
        # "ngày 15 - 16 tháng 8", "mùng 1 tháng giêng".
        "day_month": day_month,
        # A day after "ngày" stands alone unless a noun follows ("ngày 20 chiến sĩ").
        "day_alone": (pl.col("prev1") == "mùng") | ~named["noun_follows"] | day_month,
        "month_year_context": strong_date | ~named["strong_unit"],
        "slash_date_context": pieces.bare_in(DATE_WORDS, "_p1")
        | ~named["noun_follows"]
        | pieces.fact("upper_quote", "_n1").fill_null(False),
        "dot_date_context": pieces.bare_in(DATE_WORDS, "_p1") | pl.col("g_open_comma") | pl.col("post_close"),
        "lunar_after": pl.col("post_empty")
        & pl.col("next1_raw").is_in(["âm", "dương"])
        & pieces.fact("lich", "_n2").fill_null(False),
    }


def _names(pieces: Pieces, named: dict[str, pl.Expr]) -> dict[str, pl.Expr]:
    """Proper nouns and codes around the number: "SEA Games 29", "iPhone 8", "16 J. Martin"."""
    joined, post_empty = pl.col("_joined"), pl.col("post_empty")
    lead_word = pieces.bare_in(_LEAD_WORDS, "_p1")
    # A Latin-script brand or model ("Mazda 3") names what follows unless money, a measure or a
    # percentage does; a Vietnamese proper noun unless any unit does.
    latin_name = pieces.fact("latin_name", "_p1").fill_null(False)
    capital_after = post_empty & pieces.fact("cap_word", "_n1").fill_null(False)
    return {
        "capital_before": pieces.fact("open_letter_start", "_p1").fill_null(False)
        & pieces.fact("has_upper", "_p1").fill_null(False)
        & joined
        & ~lead_word
        & ((latin_name & ~named["strong_unit"] & ~named["known_unit"]) | ~named["has_unit"]),
        "capital_after": (post_empty & pieces.fact("initial", "_n1").fill_null(False))
        | (
            capital_after
            & ~pieces.bare_in(ONE_WORD_UNITS | COMMON_WORDS | FUNCTION_WORDS | LINE_OPENERS, "_n1")
            & ~in_words(pl.col("_pair12n"), TWO_WORD_UNITS)
        ),
        # "DIFF 2017 lần này", "League Cup 2013": an edition's year after its name.
        "capital_before_year": pieces.fact("letter_start", "_p1").fill_null(False)
        & pieces.fact("has_upper", "_p1").fill_null(False)
        & ~pieces.bare_in(COMMON_WORDS | FUNCTION_WORDS, "_p1"),
        # "Yamaha R15 2017": right after a code glued to letters.
        "after_code": pl.col("g_space") & _of("pre_letter", 1),
        "code_follows": pl.col("post_code")
        | (pl.col("post_dash") & pieces.fact("code_slash", "_n1").fill_null(False)),
    }


def _runs(pieces: Pieces) -> dict[str, pl.Expr]:
    """Runs of numbers: phone groups, list markers."""
    start = pl.col("char_start") == 0
    grouped = pl.col("g_space") & _of("t_digits", 1)
    return {
        # "0912 345 678", "1900 54 54 26": groups of a phone number.
        "phone_groups": (pl.col("t_zero") & _of("g_space", -1) & _of("t_3", -1))
        | (grouped & _of("t_zero", 1))
        | (grouped & _of("g_space", 1) & _of("t_zero", 2)),
        # "1. Tăng cường ...", "(2) Đẩy mạnh": a marker opening a sentence or a list item.
        "list_start": (start | pl.col("g_sentence") | pl.col("g_marker"))
        & pl.col("post_marker")
        & pl.col("t_1_3")
        & (pieces.fact("upper_quote_paren", "_n1").fill_null(False) | start),
        # A ranking's "1. N'golo Kante" inside a page flattened to one line.
        "ranked": pieces.fact("upper_quote_digit", "_n1").fill_null(False),
    }


def classify(tokens: pl.DataFrame, pieces: Pieces, rules: Rules = NOT_METRIC_RULES) -> pl.DataFrame:
    """Add `reason`: why a number is not a metric (null when it is one)."""
    reasons = compile_rules(rules, pieces)
    # Each condition as a column first: one pass shares their common parts.
    frame = in_one_pass(tokens, **{f"_is_{name}": held.fill_null(False) for name, held in reasons.items()})
    # A score ("tỷ số 2-1", "(7-6, 3-6)") is two counts, whatever its digits look like.
    reason: pl.Expr = pl.when(pl.col("_score")).then(None)
    for name in reasons:
        reason = reason.when(pl.col(f"_is_{name}")).then(pl.lit(name))
    frame = frame.with_columns(reason=reason.otherwise(pl.lit(None, pl.String)))
    return _listed(frame.drop(*(f"_is_{name}" for name in reasons)))


def _listed(frame: pl.DataFrame) -> pl.DataFrame:
    """A reason spread over the numbers after it that belong to it."""
    # "Hotline: 1900 54 54 26": the groups after a phone number belong to it.
    for _ in range(3):
        frame = frame.with_columns(
            reason=pl.when(
                pl.col("reason").is_null()
                & pl.col("g_phone")
                & (shifted(pl.col("reason"), 1) == "phone").fill_null(False)
            )
            .then(pl.lit("phone"))
            .otherwise("reason")
        )
    # "Kế hoạch số 03, 04", "gỗ nhóm 6, 7, 8": a number listed right after a document number or
    # an ordinal is one too.
    before = shifted(pl.col("reason"), 1)
    listed = (
        pl.col("g_listed") & before.is_in(["doc_number", "ordinal"])
        # "ngày 15 - 16 âm lịch", "hai ngày 4 và 5": days listed or spanned.
        | pl.col("g_days") & (before == "date") & pl.col("t_day")
        # "năm 2006, 2007", "năm 2014 – 2015": years listed or spanned.
        | pl.col("g_years") & (before == "year") & pl.col("t_year")
        # "phút 45+2": the added time of a minute is a minute too.
        | pl.col("g_plus") & before.is_not_null()
    ).fill_null(False) & ~pl.col("_strong_unit")
    # "21 giờ 10 phút": the minutes of an hour of the day.
    listed = listed | (pl.col("g_hour") & (before == "time")).fill_null(False)
    for _ in range(3):  # chains of up to four listed numbers
        frame = frame.with_columns(
            reason=pl.when(pl.col("reason").is_null() & listed).then(before).otherwise("reason")
        )
    return frame
