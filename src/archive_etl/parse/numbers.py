"""The numbers of the paragraphs and what stands around them, read from the token pass.

A number is a chain of digit groups joined by '.', ',', '/', ':', '-' or '–' ("38-40",
"14/12/2021", "1.773"), found inside the words that hold a digit: once per distinct word (the
vocabulary's digit words, a regex over a few thousand strings), never over the text. Around each
number stand the *pieces* the metric rules read: the rest of its word before and after it
(`pre`, `post`), and the words either side back to the number before it and on to the number
after it, the first and last of which may be what is left of those numbers' words. Every piece
is a row of one small table (`Pieces`), so that what a rule asks of a piece is asked once per
distinct piece and gathered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from archive_etl.parse.spans import between
from archive_etl.parse.tokens import KEYS, PUNCT, Tokens, gather
from archive_etl.parse.tokens import NUMBER as DIGIT_SHAPE

# A number: digit groups with '.', ',', '/', ':', '-' or '–' between digits.
NUMBER = r"[0-9][0-9.,/:\-–]*[0-9]|[0-9]"
# Paragraph kinds whose numbers are page furniture or metadata, not statements.
SKIPPED_KINDS = ("header", "dateline", "boilerplate")
# Between a number and the one before (or after) it, more than two words: no rule reads such a
# gap whole, only its ends.
LONG_GAP = "\x1f \x1f"
# Pieces read on either side of a number.
BEFORE, AFTER = 5, 4
_GLUED = r"\p{L}$"


def numbers_in_words(vocab: pl.DataFrame) -> pl.DataFrame:
    """One row per number inside each distinct word holding a digit (`nid`): its word (`wid`;
    `did`, the word's row among the digit words), its place `k` of `n`, `token`, `pre` (the
    piece of the word before it, from the number before), `post` (the piece after it, with the
    next number when that one is glued to a letter: "m2" of "1.250m2"), `off` (its offset in the
    word); and the word's `tail` (after its last number) and `lead` (before its first number,
    with it when glued)."""
    word, piece = pl.col("word"), pl.col("piece")
    found = (
        vocab.filter(pl.col("shape") == DIGIT_SHAPE)
        .select("wid", "word")
        .with_row_index("did")
        .with_columns(
            token=word.str.extract_all(NUMBER),
            piece=between(word, NUMBER),
        )
        .with_columns(n=pl.col("token").list.len().cast(pl.Int64), tail=piece.list.last())
        .with_columns(
            lead=pl.when(piece.list.first().str.contains(_GLUED))
            .then(piece.list.first() + pl.col("token").list.first())
            .otherwise(piece.list.first())
        )
    )
    numbers = found.with_columns(
        pre=piece.list.head(pl.col("n")),
        after=piece.list.slice(1),
        following=pl.col("token").list.shift(-1),
        k=pl.int_ranges(pl.col("n")),
    ).explode("token", "pre", "after", "following", "k")
    length = pl.col("pre").str.len_chars().cast(pl.Int64) + pl.col("token").str.len_chars().cast(pl.Int64)
    return (
        numbers.with_columns(
            k=pl.col("k").cast(pl.Int64),
            did=pl.col("did").cast(pl.Int64),
            off=(length.cum_sum() - pl.col("token").str.len_chars().cast(pl.Int64)).over("did"),
            post=pl.when(pl.col("following").is_not_null() & pl.col("after").str.contains(_GLUED))
            .then(pl.col("after") + pl.col("following"))
            .otherwise(pl.col("after")),
        )
        .drop("piece", "after", "following", "word")
        .with_row_index("nid")
        .with_columns(pl.col("nid").cast(pl.Int64))
    )


@dataclass(frozen=True)
class Pieces:
    """What a number's neighbours can be, one row each: a whole word (id `wid`), or a piece of
    the word of the number before it (after that number: id `words + did`) or after it (before
    that number: id `words + digit words + did`); `raw` as written, `bare` as the word lists
    hold words. `before(i)` and `after(i)` are the ids of the pieces i places either side of a
    number, up to the numbers before and after it (null past them or past the paragraph)."""

    table: pl.DataFrame
    wid: pl.Series  # each word's wid, by its row in the word frame
    words: int
    digit_words: int
    _flags: dict[tuple[str, ...], pl.Series] = field(default_factory=dict, compare=False)

    @staticmethod
    def of(tokens: Tokens, numbers: pl.DataFrame, facts: Mapping[str, pl.Expr]) -> Pieces:
        """The pieces of a batch, with `facts` (conditions on `raw` and `bare`) as columns."""
        digit = numbers.filter(pl.col("k") == 0).sort("did")
        raw = pl.concat([tokens.vocab.select(raw="word"), digit.select(raw="tail"), digit.select(raw="lead")])
        table = raw.with_columns(bare=pl.col("raw").str.to_lowercase().str.strip_chars(PUNCT)).with_columns(
            **facts
        )
        wid = tokens.words["wid"].cast(pl.Int64)
        return Pieces(table, wid, tokens.vocab.height, digit.height)

    def before(self, i: int) -> pl.Expr:
        pos, row = pl.col("pos"), pl.col("_rw")
        return (
            pl.when(pl.col("k") > 0)
            .then(None)
            .when(pos - i > pl.col("_ppos").fill_null(-1))
            .then(pl.lit(self.wid).gather((row - i).clip(0)))
            .when(pos - i == pl.col("_ppos"))
            .then(self.words + pl.col("_pdid"))
        )

    def after(self, i: int) -> pl.Expr:
        pos, row, ahead = pl.col("pos"), pl.col("_rw"), pl.col("_npos") - pl.col("pos")
        inside = pos + i < pl.col("_plen")
        return (
            pl.when(pl.col("k") < pl.col("n") - 1)
            .then(None)
            .when((ahead.is_null() & inside) | (ahead > i))
            .then(pl.lit(self.wid).gather(pl.when(inside).then(row + i).otherwise(row)))
            .when(ahead == i)
            .then(self.words + self.digit_words + pl.col("_ndid"))
        )

    def fact(self, name: str, at: str | pl.Expr) -> pl.Expr:
        """Column `name` of the piece whose id is the column `at`."""
        return gather(self.table[name], at)

    def bare_in(self, words: frozenset[str] | set[str], at: str | pl.Expr) -> pl.Expr:
        """Whether the piece `at` (bare) is one of `words`; false where there is none."""
        key = tuple(sorted(words))
        if key not in self._flags:
            self._flags[key] = self.table["bare"].is_in(list(key))
        return gather(self._flags[key], at).fill_null(False)

    def text_before(self, n: int) -> pl.Expr:
        """The pieces before the number, up to n of them, joined as written ("" when none)."""
        pieces = [self.fact("raw", self.before(i)) for i in range(n, 0, -1)]
        return pl.concat_str([*pieces, pl.col("pre")], separator=" ", ignore_nulls=True)

    def text_after(self, n: int) -> pl.Expr:
        """The pieces after the number, up to n of them, joined as written."""
        pieces = [self.fact("raw", self.after(i)) for i in range(1, n + 1)]
        return pl.concat_str([pl.col("post"), *pieces], separator=" ", ignore_nulls=True)


def number_tokens(
    tokens: Tokens, numbers: pl.DataFrame, pieces: Pieces, digit_mark: str = "m_digit"
) -> pl.DataFrame:
    """One row per number in the paragraphs whose kind states figures, in reading order: `_row`,
    its number `nid` (and the columns of `numbers`), `char_start`, `char_end`, where its word
    stands (`_rw`, `pos`, `_para`), the ids of the pieces either side (`_p1`..`_p5`,
    `_n1`..`_n4`) and their text (`prev1`..`prev5`, `next1`..`next4`: bare, and `_raw` as
    written), the text between it and the numbers either side when it is two words or less
    (`gap`, `next_gap`; else LONG_GAP), and `_next_token`."""
    firsts = numbers.filter(pl.col("k") == 0)
    did = pl.lit(
        pl.Series([None] * tokens.vocab.height, dtype=pl.Int64).scatter(firsts["wid"], firsts["did"])
    )
    skipped = tokens.paragraphs["kind"].is_in(list(SKIPPED_KINDS))
    found = (
        tokens.bearing(digit_mark)
        .filter(~pl.lit(skipped).gather(pl.col("_para")))
        .select(pl.col("_rw").cast(pl.Int64), "_para", "wid", pos=pl.col("pos").cast(pl.Int64), start="start")
        .join(numbers.drop("tail", "lead"), on="wid", maintain_order="left_right")
        .with_columns(char_start=pl.col("start") + pl.col("off"))
        .with_columns(char_end=pl.col("char_start") + pl.col("token").str.len_chars().cast(pl.Int64))
    )
    same_before = pl.col("_para") == pl.col("_para").shift(1)
    same_after = pl.col("_para") == pl.col("_para").shift(-1)
    found = found.with_columns(
        _ppos=pl.when(same_before).then(pl.col("pos").shift(1)),
        _pdid=pl.when(same_before).then(did.gather(pl.col("wid").shift(1))),
        _npos=pl.when(same_after).then(pl.col("pos").shift(-1)),
        _ndid=pl.when(same_after).then(did.gather(pl.col("wid").shift(-1))),
        _next_token=pl.when(same_after).then(pl.col("token").shift(-1)),
        _plen=pl.lit(tokens.lengths).gather(pl.col("_para")),
    )
    found = found.with_columns(
        **{f"_p{i}": pieces.before(i) for i in range(1, BEFORE + 1)},
        **{f"_n{i}": pieces.after(i) for i in range(1, AFTER + 1)},
    )
    found = found.with_columns(
        **{f"prev{i}_raw": pieces.fact("raw", f"_p{i}") for i in range(1, BEFORE + 1)},
        **{f"prev{i}": pieces.fact("bare", f"_p{i}") for i in range(1, BEFORE + 1)},
        **{f"next{i}_raw": pieces.fact("raw", f"_n{i}") for i in range(1, AFTER + 1)},
        **{f"next{i}": pieces.fact("bare", f"_n{i}") for i in range(1, AFTER + 1)},
    )
    keys = {key: pl.lit(tokens.paragraphs[key]).gather(pl.col("_para")) for key in KEYS}
    return found.with_columns(**_gaps(), **keys).with_row_index("_row")


def _gaps() -> dict[str, pl.Expr]:
    """The text between a number and the numbers either side of it when two words or less
    (`gap`, `next_gap`; else LONG_GAP), and how many words back the one before is (`_reached`)."""
    pos, first, last = pl.col("pos"), pl.col("k") == 0, pl.col("k") == pl.col("n") - 1
    reached = pl.when(pl.col("_ppos").is_not_null()).then(pos - pl.col("_ppos")).otherwise(pos)
    space = pl.lit(" ")
    gap = (
        pl.when(~first | (reached == 0))
        .then(pl.col("pre"))
        .when(reached == 1)
        .then(pl.concat_str("prev1_raw", space, "pre"))
        .when(reached == 2)
        .then(pl.concat_str("prev2_raw", space, "prev1_raw", space, "pre"))
        .otherwise(pl.lit(LONG_GAP))
    )
    ahead = pl.col("_npos") - pos
    next_gap = (
        pl.when(~last)
        .then(pl.col("post"))
        .when(ahead == 1)
        .then(pl.concat_str("post", space, "next1_raw"))
        .when(ahead == 2)
        .then(pl.concat_str("post", space, "next1_raw", space, "next2_raw"))
        .when(ahead == 3)
        .then(pl.concat_str("post", space, "next1_raw", space, "next2_raw", space, "next3_raw"))
        .otherwise(pl.lit(LONG_GAP))
    )
    return {"gap": gap, "next_gap": next_gap, "_reached": reached}


def counted(rows: pl.Series, first: pl.Expr, last: pl.Expr) -> pl.Expr:
    """How many of `rows` (rows of the word frame, sorted) lie from row `first` to row `last`."""
    at = pl.lit(rows)
    return (at.search_sorted(last, side="right") - at.search_sorted(first, side="left")).cast(pl.Int64)


def pair_rows(tokens: Tokens, mark: str, second: str) -> pl.Series:
    """The rows of the words bearing `mark` whose next word in the paragraph starts with `second`
    (lower case): the first words of a pair ("chỉ số")."""
    words, lower = tokens.words, tokens.vocab["lower"]
    rows = tokens.bearing(mark).filter(pl.col("_rw") + 1 < words.height)
    following = words.select("_para", "wid").gather(rows["_rw"] + 1)
    holds = (following["_para"] == rows["_para"]) & lower.str.starts_with(second).gather(following["wid"])
    return rows["_rw"].filter(holds)


# --- Windows over a paragraph's numbers, for the rules -------------------------------------------
def pair(first: str | pl.Expr, second: str | pl.Expr) -> pl.Expr:
    """Two words as the word lists hold a pair: "trong vòng"."""
    a = pl.col(first) if isinstance(first, str) else first
    b = pl.col(second) if isinstance(second, str) else second
    return pl.concat_str(a, pl.lit(" "), b)


@cache
def _sorted_words(words: frozenset[str]) -> list[str]:
    return sorted(words)


def in_words(expr: pl.Expr, words: frozenset[str] | set[str]) -> pl.Expr:
    """Whether `expr` is one of `words`; false where it is null."""
    return expr.is_in(_sorted_words(frozenset(words))).fill_null(False)


def shifted(expr: pl.Expr, n: int) -> pl.Expr:
    """`expr` of the token n places before (n > 0) or after (n < 0), null across paragraphs.

    Tokens of a paragraph are contiguous and in order, so comparing the paragraph's sequence
    number with the shifted row's replaces a window over (article_id, paragraph_no), which
    hashes string keys.
    """
    return pl.when(pl.col("_para") == pl.col("_para").shift(n)).then(expr.shift(n))


def in_one_pass(frame: pl.DataFrame, **columns: pl.Expr) -> pl.DataFrame:
    """`frame` with `columns`, computed in one lazy pass: what they share is computed once."""
    return frame.lazy().with_columns(**columns).collect()
