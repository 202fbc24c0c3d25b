"""The token pass read word by word: what the rules of an extractor ask of the words around a
place, found by row of the word frame rather than in the text.

- `Words`: the facts of each distinct word (a table by wid, found once) gathered to any row,
  with the row's paragraph and place in it; `rows_bearing` the rows of the words bearing a mark.
- Places: `place` makes (paragraph, offset) one sortable number, so that the nearest word of a
  kind before or after a place is a binary search of the sorted places of those words.
- Phrases of a word list ("bộ trưởng", "chủ nhiệm ủy ban") matched word by word on consecutive
  rows by integer ids (`Lexemes`, `Phrases`, `grown`); `joined_in` spells a few words only
  where a phrase may stand.
- Text: `spelled` gives the text between two places from the words, at the span's cost, never
  the paragraph's; `window` and `last_word` find the words a span covers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from archive_etl.parse.tokens import Tokens

# The letters a word starts with ("trưởng" of "trưởng,") and ends with ("chủ" of "UBND-chủ").
LEADING, TRAILING = r"^(\p{L}+)", r"(\p{L}+)$"
# A place in a batch: its paragraph and its offset there, in one sortable number.
_PLACE = 2**32


def place(para: pl.Expr, char: pl.Expr) -> pl.Expr:
    """The place of character `char` of paragraph `para`: places of one paragraph sort by offset
    and lie further apart than any paragraph is long from those of other paragraphs."""
    return para.cast(pl.Int64) * _PLACE + char


def pick(series: pl.Series, i: pl.Expr) -> pl.Expr:
    """`series` at index `i`: null out of it."""
    if series.is_empty():
        return pl.lit(None, dtype=series.dtype)
    inside = (i >= 0) & (i < series.len())
    return pl.when(inside).then(pl.lit(series).gather(i.clip(0, series.len() - 1)))


def on_distinct(frame: pl.DataFrame, column: str, facts: Mapping[str, pl.Expr]) -> pl.DataFrame:
    """`frame` with `facts`, conditions on `column`, found once per distinct value of it."""
    values = frame.select(pl.col(column).unique()).with_columns(**facts)
    return frame.join(values, on=column, how="left", maintain_order="left", nulls_equal=True)


class Words:
    """The word frame read by row: each word's facts (of its vocabulary entry), paragraph,
    start and place in the paragraph. A row out of the frame reads the last word: callers
    check `within` first."""

    def __init__(self, tokens: Tokens, facts: pl.DataFrame) -> None:
        words = tokens.words
        self.tokens, self.facts = tokens, facts
        self.count = words.height
        self._wid, self._start, self._para, self._pos = (words[c] for c in ("wid", "start", "_para", "pos"))
        # The row after each paragraph's last word.
        self.end_rows = tokens.lengths.cum_sum()

    def _at(self, series: pl.Series, row: pl.Expr) -> pl.Expr:
        return pl.lit(series).gather(row.clip(0, max(self.count - 1, 0)))

    def wid(self, row: pl.Expr) -> pl.Expr:
        return self._at(self._wid, row)

    def fact(self, name: str, row: pl.Expr) -> pl.Expr:
        """Fact `name` of the word at `row`."""
        return pl.lit(self.facts[name]).gather(self.wid(row))

    def of(self, name: str, wid: str) -> pl.Expr:
        """Fact `name` of the word whose id is in column `wid`."""
        return pl.lit(self.facts[name]).gather(pl.col(wid))

    def start(self, row: pl.Expr) -> pl.Expr:
        return self._at(self._start, row)

    def end(self, row: pl.Expr) -> pl.Expr:
        return self.start(row) + self.fact("chars", row)

    def para(self, row: pl.Expr) -> pl.Expr:
        return self._at(self._para, row).cast(pl.Int64)

    def within(self, row: pl.Expr, offset: int) -> pl.Expr:
        """Whether the word `offset` places after `row` (before it, when negative) is in the
        same paragraph."""
        if offset >= 0:
            return row + offset < pl.lit(self.end_rows).gather(self._at(self._para, row))
        return self._at(self._pos, row).cast(pl.Int64) >= -offset

    def gathered(
        self, frame: pl.DataFrame, rows: dict[str, pl.Expr], names: dict[str, list[str]]
    ) -> pl.DataFrame:
        """`frame` with, for each named row (`rows`: a prefix and the row), the word's id
        (`{prefix}wid`) and its facts `names[prefix]` as columns `{prefix}{name}`."""
        frame = frame.with_columns(**{f"{p}wid": self.wid(row) for p, row in rows.items()})
        return frame.with_columns(
            self.of(n, f"{p}wid").alias(f"{p}{n}") for p in rows for n in names.get(p, [])
        )


def rows_bearing(tokens: Tokens, mark: str) -> pl.DataFrame:
    """The words bearing `mark`: `row` in the word frame, `para`, `start`, `wid`."""
    return tokens.bearing(mark).select(
        row=pl.col("_rw").cast(pl.Int64), para=pl.col("_para").cast(pl.Int64), start="start", wid="wid"
    )


def joined_in(frame: pl.DataFrame, where: pl.Expr, parts: list[pl.Expr], phrases: list[str]) -> pl.Series:
    """Whether `parts`, joined by a space, make one of `phrases`, on the rows `where` holds (the
    others false): text is spelled only for those."""
    hits = frame.with_row_index("_hit").filter(where.fill_null(False))
    hits = hits.filter(pl.concat_str(parts, separator=" ").is_in(phrases))["_hit"]
    return pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True).scatter(hits, True)


def window(frame: pl.DataFrame, words: Words, first: str) -> pl.DataFrame:
    """One row per word (`_j`) of each row's window (`_i`): from the word at `first` on, the
    words of its paragraph that start before offset `_window`, read 32 at a time."""
    j = pl.col("_j")
    todo = frame.select("_i", "_window", _from=first, _end=pl.lit(words.end_rows).gather(pl.col("para")))
    found = []
    while todo.height:
        rows = todo.with_columns(
            _j=pl.int_ranges("_from", pl.min_horizontal(pl.col("_from") + 32, "_end"))
        ).explode("_j")
        rows = rows.filter(words.start(j) < pl.col("_window"))
        found.append(rows.select("_i", "_j"))
        todo = rows.filter(j == pl.col("_from") + 31).select("_i", "_window", _from=j + 1, _end="_end")
    if not found:
        return pl.DataFrame(schema={"_i": pl.UInt32, "_j": pl.Int64})
    # Rows past the first 32 words are rare: put in order only then.
    return found[0] if len(found) == 1 else pl.concat(found).sort("_i", "_j")


def last_word(frame: pl.DataFrame, words: Words, first: str, end: str) -> pl.Series:
    """The row of the word holding character `end` - 1 of each row's paragraph, the word at
    `first` or one after it (null where `first` is)."""
    spans = (
        frame.with_row_index("_i")
        .filter(pl.col(first).is_not_null())
        .select("_i", "para", first, _window=end)
    )
    last = window(spans, words, first).group_by("_i").agg(pl.col("_j").max())
    return frame.with_row_index("_i").join(last, on="_i", how="left", maintain_order="left")["_j"]


def spelled(tokens: Tokens, frame: pl.DataFrame, first: str, last: str, start: str, end: str) -> pl.Series:
    """The text of each row's span, from offset `start` to `end` of its paragraph, which lie in
    the words at rows `first` and `last` of the word frame; null where `end` <= `start`.

    Spelled from the words (joined by the one space between them), not cut from the paragraph:
    the cost is the span's, not the paragraph's. Spans of a few words are joined in place,
    longer ones word by word."""
    words = tokens.words
    rows = pl.col(last) - pl.col(first) + 1
    begin = pl.col(start) - pl.lit(words["start"]).gather(pl.col(first).clip(0, max(words.height - 1, 0)))
    chars = pl.col(end) - pl.col(start)

    def word(row: pl.Expr) -> pl.Expr:
        wid = pl.lit(words["wid"]).gather(row.clip(0, max(words.height - 1, 0)))
        return pl.lit(tokens.vocab["word"]).gather(wid)

    short = frame.select(
        _text=pl.when(chars > 0).then(
            pl.concat_str(
                [pl.when(rows > i).then(word(pl.col(first) + i)) for i in range(_IN_PLACE)],
                separator=" ",
                ignore_nulls=True,
            ).str.slice(begin, chars)
        ),
        _long=(chars > 0) & (rows > _IN_PLACE),
    )
    text = short["_text"]
    long = frame.with_row_index("_span").filter(short["_long"])
    if long.height:
        joined = (
            long.select("_span", _row=pl.int_ranges(first, pl.col(last) + 1), _from=begin, _chars=chars)
            .explode("_row")
            .with_columns(_word=word(pl.col("_row")))
            .group_by("_span", maintain_order=True)
            .agg(pl.col("_word").str.join(" "), pl.col("_from", "_chars").first())
        )
        text = text.scatter(
            joined["_span"], joined.select(pl.col("_word").str.slice("_from", "_chars")).to_series()
        )
    return text


# Spans of at most this many words are spelled in place.
_IN_PLACE = 4


@dataclass(frozen=True)
class Lexemes:
    """Ids for the lower-case strings a batch compares: `ids(expr)` is the id of each string
    (null for a string not given), `listed` the id of each word of the lists."""

    dtype: pl.Enum
    listed: dict[str, int]

    @staticmethod
    def of(strings: Iterable[pl.Series], lists: Iterable[Iterable[str]]) -> Lexemes:
        """The ids of `strings` and of the words of the phrases of `lists`."""
        listed = sorted({word for phrases in lists for phrase in phrases for word in phrase.split(" ")})
        words = pl.Series(listed, dtype=pl.String)
        every = pl.concat([*(s.cast(pl.String) for s in strings), words])
        dtype = pl.Enum(every.drop_nulls().unique().sort())
        return Lexemes(dtype, dict(zip(listed, words.cast(dtype).to_physical().to_list(), strict=True)))

    def ids(self, text: pl.Expr) -> pl.Expr:
        return text.cast(self.dtype, strict=False).to_physical().cast(pl.Int64)


class Phrases:
    """A list of phrases (words separated by one space), by their number of words."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = frozenset(phrases)
        self.lengths = sorted({len(p.split(" ")) for p in self.phrases}, reverse=True)

    def of_length(self, k: int) -> list[str]:
        return sorted(p for p in self.phrases if len(p.split(" ")) == k)

    def words_at(self, k: int, i: int) -> list[str]:
        """The i-th words of the phrases of k words."""
        return sorted({p.split(" ")[i] for p in self.of_length(k)})


def _table(size: int, values: dict[int, int]) -> pl.Series:
    """A look-up by integer, 0 to `size`: `values` where given, null elsewhere."""
    table = pl.repeat(None, size, dtype=pl.Int64, eager=True)
    if values:
        table.scatter(list(values), list(values.values()))
    return table


def grown(
    frame: pl.DataFrame,
    phrases: Phrases,
    lexemes: Lexemes,
    ids: tuple[pl.Series, pl.Series, pl.Series],
    word: Callable[[int], tuple[pl.Expr, pl.Expr]],
) -> pl.DataFrame:
    """The phrases of two words and more found at the rows of `frame` (`wid`, the word there),
    read word by word: one row per phrase found, `_r` (the row of `frame`) and `k` (its number
    of words). `ids`, by wid: the id of a word as a phrase's first word, as a word inside one
    and as its last word; `word(i)` gives the wid of a phrase's i-th word and whether it is in
    the paragraph.

    At each word the rows left are those whose words so far begin some phrase, numbered
    (`_p`): a look-up by that number and the next word's place among the words that may come
    next says whether a phrase ends there, and what the rows left begin."""
    split = [p.split(" ") for p in phrases.phrases if " " in p]
    index = lexemes.listed
    split = [words for words in split if all(w in index for w in words)]
    if not split:
        return pl.DataFrame(schema={"_r": pl.UInt32, "k": pl.Int64})
    first, inner, last = ids

    def slots(words: list[str], by: pl.Series) -> pl.Series:
        """The place among `words` of each wid's id in `by` (null if none)."""
        return by.replace_strict(
            {index.get(x): n for n, x in enumerate(words)}, default=None, return_dtype=pl.Int64
        )

    begun = {p: n for n, p in enumerate(sorted({tuple(w[:1]) for w in split}))}
    starts = slots([p[0] for p in begun], first)
    alive = frame.with_row_index("_r").select("_r", "row", _p=pl.lit(starts).gather("wid")).drop_nulls("_p")
    found = []
    for i in range(1, max(len(w) for w in split)):
        at, inside = word(i)
        lasts = sorted({w[i] for w in split if len(w) == i + 1})
        ends = pl.repeat(False, len(begun) * max(len(lasts), 1), dtype=pl.Boolean, eager=True)
        for w in (w for w in split if len(w) == i + 1):
            ends[begun[tuple(w[:i])] * len(lasts) + lasts.index(w[i])] = True
        longer = sorted({tuple(w[: i + 1]) for w in split if len(w) > i + 1})
        nexts = sorted({p[i] for p in longer})
        following = _table(
            max(len(begun) * len(nexts), 1),
            {begun[p[:i]] * len(nexts) + nexts.index(p[i]): n for n, p in enumerate(longer)},
        )
        alive = alive.with_columns(_wid=at, _in=inside)
        ended = pl.col("_in") & pl.lit(ends).gather(
            pl.col("_p") * len(lasts) + pl.lit(slots(lasts, last)).gather("_wid")
        )
        found.append(alive.filter(ended.fill_null(False)).select("_r", k=pl.lit(i + 1, pl.Int64)))
        if not longer:
            break
        going = pl.lit(following).gather(
            pl.col("_p") * len(nexts) + pl.lit(slots(nexts, inner)).gather("_wid")
        )
        alive = alive.select("_r", "row", _p=pl.when("_in").then(going)).drop_nulls("_p")
        begun = {p: n for n, p in enumerate(longer)}
        if alive.is_empty():
            break
    return pl.concat(found)
