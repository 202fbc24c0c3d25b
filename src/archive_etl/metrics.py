"""Metrics: every stated quantity in the paragraphs, read the Vietnamese way, as Polars expressions.

How it works, all vectorised over the corpus:
1. `number_tokens`: one `extract_all` with a regex that tiles each paragraph into pieces
   "text before a number + the number" gives every number with its offset and the text around
   it, without exploding the corpus into words.
2. The words on either side (prev1..prev3, next1..next3) and the characters glued to the number
   (`pre`, `post`) are cut from those gaps with list operations.
3. `classify_tokens` names why a number is *not* a metric (date, year, document number, ...);
   what is left is a metric, whose value, unit, kind, qualifier and change are then read.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from archive_etl.lexicon import (
    CHANGES,
    CLASSIFIERS,
    DATE_WORDS,
    DAY_WORDS,
    DOCUMENT_NOUNS,
    DOCUMENT_WORDS,
    DURATION_UNITS,
    FUNCTION_WORDS,
    MEASURE_UNITS,
    MONEY_UNITS,
    NAME_WORDS,
    ORDINAL_WORDS,
    PHONE_WORDS,
    QUALIFIERS,
    TWO_SYLLABLE_UNITS,
    VIEW_COUNTER_WORDS,
    YEAR_WORDS,
)

# A number: digits, possibly with '.', ',', '/', ':', '-' between digit groups.
NUMBER = r"[0-9][0-9.,/:\-–]*[0-9]|[0-9]"
# Tiles a text exactly: each piece is the text up to and including the next number; the last
# piece is the tail after the last number. (Digits glued to a word, as in "m2" or "H5N1", come
# out as numbers too; `classify_tokens` names them, and units take them back.)
_PIECE = rf"[^0-9]*(?:{NUMBER})|[^0-9]+$"
# The same split, anchored, to take a piece apart into its gap and its number.
_SPLIT = rf"^(?P<gap>[^0-9]*)(?P<token>{NUMBER})$"
# Enough characters either side of a number for three words of context.
_CONTEXT = 60
_PUNCT = ".,;:!?()[]{}\"'“”‘’«»…–—-*/"
_ENDS_WITH_PUNCT = r"[.,;:!?)\]}”\"…]$"
# Paragraph kinds whose numbers are page furniture, not statements.
SKIPPED_KINDS = ("header", "dateline", "boilerplate")

KEYS = ("article_id", "paragraph_no")


def _norm(word: pl.Expr) -> pl.Expr:
    """A context word for lexicon look-ups: lowercase, punctuation stripped from both ends."""
    return word.str.to_lowercase().str.strip_chars(_PUNCT)


def _pair(first: str, second: str) -> pl.Expr:
    return pl.concat_str(pl.col(first), pl.lit(" "), pl.col(second))


@cache
def _sorted(words: frozenset[str]) -> list[str]:
    return sorted(words)


def _in(expr: pl.Expr, words: frozenset[str] | set[str]) -> pl.Expr:
    return expr.is_in(_sorted(frozenset(words))).fill_null(False)


def _shift_within_paragraph(expr: pl.Expr, n: int) -> pl.Expr:
    """`expr` of the token n places before (n > 0) or after (n < 0), null across paragraphs.

    Tokens of a paragraph are contiguous and in order, so comparing keys with the shifted row
    replaces a window over (article_id, paragraph_no), which hashes string keys.
    """
    same = (pl.col("article_id") == pl.col("article_id").shift(n)) & (
        pl.col("paragraph_no") == pl.col("paragraph_no").shift(n)
    )
    return pl.when(same).then(expr.shift(n))


def number_tokens(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per number in `text`: offsets in the paragraph and the words around it."""
    pieces, end, after = pl.col("piece"), pl.col("piece_end"), pl.col("next_piece")
    next_head = pl.col("_next_head")  # the next piece's gap
    tokens = (
        paragraphs.filter(pl.col("text").str.contains("[0-9]"))
        .select(*KEYS, piece=pl.col("text").str.extract_all(_PIECE))
        .with_columns(
            piece_end=pieces.list.eval(pl.element().str.len_chars().cast(pl.Int64).cum_sum()),
            next_piece=pieces.list.shift(-1),
            # Each piece taken apart once into `gap` and `token` (both null for the tail).
            _split=pieces.list.eval(pl.element().str.extract_groups(_SPLIT)),
        )
        .with_columns(_next_head=pl.col("_split").list.eval(pl.element().struct.field("gap")).list.shift(-1))
        .explode("piece", "piece_end", "next_piece", "_split", "_next_head")
        .unnest("_split")
        .filter(pl.col("token").is_not_null())
        .with_columns(
            char_end=end,
            char_start=end - pl.col("token").str.len_chars().cast(pl.Int64),
            # The text after this number, up to the next number; digits glued to a word there
            # stay with it, so that "1.250 m2" reads the unit "m2".
            next_gap=pl.coalesce(
                pl.when(next_head.str.contains(r"\p{L}$")).then(after).otherwise(next_head),
                after,
                pl.lit(""),
            ),
        )
        .drop("_next_head")
    )
    before = pl.col("gap").str.slice(-_CONTEXT).str.split(" ")
    following = pl.col("next_gap").str.slice(0, _CONTEXT).str.split(" ")
    words = {
        "pre": before.list.last(),
        "post": following.list.first(),
        **{f"prev{i}_raw": before.list.get(-1 - i, null_on_oob=True) for i in (1, 2, 3)},
        **{f"next{i}_raw": following.list.get(i, null_on_oob=True) for i in (1, 2, 3)},
    }
    return tokens.with_columns(**words).with_columns(
        **{f"prev{i}": _norm(pl.col(f"prev{i}_raw")) for i in (1, 2, 3)},
        **{f"next{i}": _norm(pl.col(f"next{i}_raw")) for i in (1, 2, 3)},
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


def classify_tokens(tokens: pl.LazyFrame) -> pl.LazyFrame:
    """Add `reason`: why a number is not a metric (null when it is one)."""
    tok, pre, post = pl.col("token"), pl.col("pre"), pl.col("post")
    next1 = pl.col("next1")
    # A word before the number governs it ("số 15", "ngõ 53") only if no punctuation stands
    # between them: in "UBND quận: 3370/3.432 đơn" the number is not a district's name.
    joined = ~pl.col("prev1_raw").str.contains(_ENDS_WITH_PUNCT).fill_null(False)
    prev1 = pl.when(joined).then(pl.col("prev1"))
    prev_pair = pl.when(joined & ~pl.col("prev2_raw").str.contains(_ENDS_WITH_PUNCT).fill_null(False)).then(
        _pair("prev2", "prev1")
    )

    def preceded_by(words: frozenset[str]) -> pl.Expr:
        """The word or two words before the number, joined to it, are one of `words`."""
        return _in(prev1, words) | _in(prev_pair, words)

    digits_only = r"^[0-9][0-9.]*$"

    first = tok.str.extract(r"^([0-9]+)", 1).cast(pl.Int64, strict=False)
    day, month = first, tok.str.extract(r"^[0-9]+/([0-9]+)", 1).cast(pl.Int64, strict=False)
    valid_dm = day.is_between(1, 31) & month.is_between(1, 12)
    noun_follows = (post == "") & next1.str.contains(r"^\p{L}").fill_null(False) & ~_in(next1, FUNCTION_WORDS)

    time = tok.str.contains(r"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$") | (
        tok.str.contains(r"^[0-9]{1,2}$") & post.str.contains(r"^[hg][0-9]{0,2}[.,;)]*$")
    )
    date = (
        (_in(prev1, DAY_WORDS) & tok.str.contains(r"^[0-9]{1,2}$") & first.is_between(1, 31) & ~noun_follows)
        | tok.str.contains(r"^[0-9]{1,2}([/.\-])[0-9]{1,2}[/.\-][0-9]{2,4}$")
        | (tok.str.contains(r"^[0-9]{1,2}/[0-9]{4}$") & first.is_between(1, 12))
        | (tok.str.contains(r"^[0-9]{1,2}/[0-9]{1,2}$") & valid_dm & (_in(prev1, DATE_WORDS) | ~noun_follows))
    )
    year_range = tok.str.contains(r"^(?:19|20|21)[0-9]{2}\s*[-–]\s*(?:(?:19|20|21)[0-9]{2}|[0-9]{2})$")
    counted_after = _in(next1, CLASSIFIERS) | _in(_pair("next1", "next2"), TWO_SYLLABLE_UNITS)
    year = (
        tok.str.contains(r"^[0-9]{4}$")
        & first.is_between(1900, 2100)
        & (~counted_after | preceded_by(YEAR_WORDS))
    )
    code_follows = post.str.contains(r"^[-–/]\s*\p{Lu}") | (
        post.is_in(["-", "–"]) & pl.col("next1_raw").str.contains(r"^\p{Lu}[\p{L}]*/").fill_null(False)
    )
    document = (
        code_follows
        | (prev1 == "số").fill_null(False)
        | _in(prev1, DOCUMENT_WORDS)
        | (_in(prev_pair, DOCUMENT_NOUNS) & ~_in(next1, DURATION_UNITS))
    )
    ordinal = preceded_by(ORDINAL_WORDS) & ~_in(next1, DURATION_UNITS)
    view_counter = _in(_pair("prev2", "prev1"), VIEW_COUNTER_WORDS)
    list_marker = (
        ((pl.col("char_start") == 0) | pl.col("gap").is_in(["(", "-", "- "]))
        & post.str.contains(r"^[.)]")
        & tok.str.contains(r"^[0-9]{1,3}$")
    ) | (pl.col("gap").str.ends_with("(") & post.str.starts_with(")") & tok.str.contains(r"^[0-9]{1,2}$"))
    no_unit = (post != "") | ~noun_follows
    name = pre.str.contains(r"\p{L}") | (
        (
            preceded_by(NAME_WORDS)
            # After a capitalised word and counting nothing: "cầu Vĩnh Tuy 2", "Kế hoạch 01".
            | (pl.col("prev1_raw").str.contains(r"^\p{Lu}").fill_null(False) & joined & no_unit)
        )
        & ~_in(next1, DURATION_UNITS)
    )

    # Phone numbers: long digit strings from 0, or groups "024 3827 1234" (neighbouring tokens).
    def neighbour(column: str, n: int) -> pl.Expr:
        return _shift_within_paragraph(pl.col(column), n)

    grouped = (pl.col("gap") == " ") & neighbour("token", 1).str.contains(digits_only).fill_null(False)
    starts_zero = r"^0[0-9]{2,}$"
    phone = (
        tok.str.replace_all(r"[.\s]", "").str.contains(r"^0[0-9]{8,}$")
        | (
            tok.str.contains(starts_zero)
            & (neighbour("gap", -1) == " ").fill_null(False)
            & neighbour("token", -1).str.contains(digits_only).fill_null(False)
        )
        | (grouped & neighbour("token", 1).str.contains(starts_zero).fill_null(False))
        | (
            grouped
            & neighbour("gap", 1).eq(" ").fill_null(False)
            & neighbour("token", 2).str.contains(starts_zero).fill_null(False)
        )
        | preceded_by(PHONE_WORDS)
    )
    reason = (
        pl.when(view_counter)
        .then(pl.lit("view_counter"))
        .when(time)
        .then(pl.lit("time"))
        .when(date)
        .then(pl.lit("date"))
        .when(year_range)
        .then(pl.lit("year_range"))
        .when(year)
        .then(pl.lit("year"))
        .when(list_marker)
        .then(pl.lit("list_marker"))
        .when(document)
        .then(pl.lit("doc_number"))
        .when(ordinal)
        .then(pl.lit("ordinal"))
        .when(name)
        .then(pl.lit("name"))
        .when(phone)
        .then(pl.lit("phone"))
    )
    # "Kế hoạch số 03, 04": a number listed right after a document number is one too.
    listed_after_document = pl.col("gap").str.contains(r"^\s*(?:,|;|và|&)?\s*$") & (
        _shift_within_paragraph(pl.col("reason"), 1) == "doc_number"
    ).fill_null(False)
    frame = tokens.with_columns(reason=reason)
    for _ in range(3):  # chains of up to four listed numbers
        frame = frame.with_columns(
            reason=pl.when(pl.col("reason").is_null() & listed_after_document)
            .then(pl.lit("doc_number"))
            .otherwise("reason")
        )
    return frame


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


def read_metrics(tokens: pl.LazyFrame) -> pl.LazyFrame:
    """Value, unit, kind, qualifier, change and subject of every token that is a metric."""
    tok, post = pl.col("token"), pl.col("post")
    next1, next2 = pl.col("next1"), pl.col("next2")
    spaced_percent = (post == "") & pl.col("next1_raw").str.starts_with("%").fill_null(False)
    percent = (
        post.str.starts_with("%") | spaced_percent | ((next1 == "phần") & (next2 == "trăm")).fill_null(False)
    )
    ratio = tok.str.contains(r"^[0-9][0-9.,]*/[0-9][0-9.,]*$")

    # The unit: glued letters ("50ha"), a known two-syllable noun, a classifier, or the noun
    # that follows (two syllables when nothing stops it).
    attached = post.str.extract(r"^(\p{L}[\p{L}²³0-9]*)", 1).str.to_lowercase()
    # Units are lowercase nouns, but acronyms stay as written ("USD", "MW").
    acronym = pl.col("next1_raw").str.extract(r"^(\p{Lu}{2,}[0-9]?)[.,;:)]*$", 1)
    pair = _pair("next1", "next2")
    open_after_next1 = (post == "") & ~pl.col("next1_raw").str.contains(_ENDS_WITH_PUNCT).fill_null(True)
    any_unit = CLASSIFIERS | DURATION_UNITS | MONEY_UNITS | MEASURE_UNITS
    known_pair = TWO_SYLLABLE_UNITS | MONEY_UNITS | MEASURE_UNITS | DURATION_UNITS
    plain_word = r"^\p{Ll}+$"
    noun = next1.str.contains(r"^\p{L}+$").fill_null(False) & ~_in(next1, FUNCTION_WORDS)
    next2_noun = (
        pl.col("next2_raw").str.contains(r"^\p{Ll}+[,.;:]?$").fill_null(False)
        & next2.str.contains(plain_word).fill_null(False)
        & ~_in(next2, FUNCTION_WORDS | DURATION_UNITS)
    )
    unit = (
        pl.when(percent)
        .then(pl.lit("%"))
        .when(attached.is_not_null())
        .then(attached)
        .when(post != "")
        .then(None)
        .when(open_after_next1 & _in(pair, known_pair))
        .then(pair)
        .when(_in(next1, any_unit))
        .then(pl.coalesce(acronym, next1))
        .when(noun & open_after_next1 & next2_noun)
        .then(pair)
        .when(noun)
        .then(next1)
    )
    numerator = tok.str.extract(r"^([^/]+)", 1)
    denominator = tok.str.extract(r"/(.+)$", 1)
    kind = (
        pl.when(percent)
        .then(pl.lit("percent"))
        .when(ratio)
        .then(pl.lit("ratio"))
        .when(_in(pl.col("unit"), DURATION_UNITS))
        .then(pl.lit("duration"))
        .when(_in(pl.col("unit").str.to_lowercase(), MONEY_UNITS))
        .then(pl.lit("amount"))
        .when(_in(pl.col("unit").str.to_lowercase(), MEASURE_UNITS))
        .then(pl.lit("measure"))
        .otherwise(pl.lit("count"))
    )
    prev_pair = _pair("prev2", "prev1")
    qualifier = pl.coalesce(_lookup(prev_pair, QUALIFIERS), _lookup(pl.col("prev1"), QUALIFIERS))
    # "giảm 10%", and "tăng hơn 10%" where a qualifier stands between.
    change = pl.coalesce(
        _lookup(pl.col("prev1"), CHANGES),
        pl.when(qualifier.is_not_null() | pl.col("prev1").is_in(["thêm", "lên", "xuống", "được"])).then(
            _lookup(pl.col("prev2"), CHANGES)
        ),
        pl.when(_lookup(prev_pair, QUALIFIERS).is_not_null()).then(_lookup(pl.col("prev3"), CHANGES)),
    )
    percent_sign = (
        pl.when(post.str.starts_with("%")).then(pl.lit("%")).when(spaced_percent).then(pl.lit(" %"))
    )
    raw = pl.concat_str(tok, percent_sign.fill_null(""))
    after, before = _phrase_after(), _phrase_before()
    after_words = after.str.count_matches(" ") + 1
    unit_words = pl.col("unit").str.count_matches(" ").fill_null(-1) + 1
    subject = (
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
    )
    return (
        tokens.with_columns(unit=unit)
        .with_columns(
            kind=kind,
            value=parse_number(numerator),
            denominator=pl.when(ratio).then(parse_number(denominator)),
            qualifier=qualifier,
            change=change,
            raw=raw,
            char_end=pl.col("char_start") + raw.str.len_chars().cast(pl.Int64),
        )
        .with_columns(subject=subject.str.strip_chars())
    )


def extract_metrics(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """Every metric of every paragraph (`article_id`, `paragraph_no`, `kind`, `text`)."""
    tokens = classify_tokens(number_tokens(paragraphs.filter(~pl.col("kind").is_in(SKIPPED_KINDS))))
    # Tokens keep the paragraphs' order, so the metrics come out in reading order.
    # A token whose number cannot be read ("38-40", "1.2.3") is not a metric: never a null value.
    return (
        read_metrics(tokens.filter(pl.col("reason").is_null()))
        .filter(pl.col("value").is_finite())
        .with_columns(metric_id=pl.format("{}:{}:{}", "article_id", "paragraph_no", "char_start"))
    )
