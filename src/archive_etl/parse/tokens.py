"""The one token pass: every paragraph cut into words once, for every extractor and the index.

A *word* is what lies between two spaces of a paragraph's text, as written ("(ông", "15-NQ/TU,",
"Trump."): paragraph text has its white space folded to single spaces, so a literal split cuts
it. Each distinct word of a batch is described once, in `Tokens.vocab` (tens of thousands of
rows where the words are millions): its lower case, its bare form (lowercase, punctuation off
both ends: what the word lists hold), its shape. What an extractor asks of a word it asks of the
vocabulary, and gathers the answer to the words by id (`wid`); what it asks of a word's
neighbours it reads at the rows before and after, in the same paragraph.

An extractor looks at few of the words: those with a digit, a capital, a word of its lists. It
names them by *marks*, conditions on the vocabulary; the words that bear any mark are kept
apart once (`Tokens.marked`, a few percent of the words), so that no extractor filters all of
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import polars as pl

KEYS = ("article_id", "paragraph_no")
# Punctuation stripped from both ends of a word for lexicon look-ups (the bare form).
PUNCT = ".,;:!?()[]{}\"'“”‘’«»…–—-*/"

# A word's shape, from its first letter or digit: what rules ask before its spelling.
NUMBER, LOWER, CAPITAL, OTHER = 0, 1, 2, 3


def lowered(text: pl.Expr) -> pl.Expr:
    """`text` lower-cased letter for letter, so offsets hold ("İ", whose lower case is two
    letters, becomes "i")."""
    return text.str.replace_all("İ", "I", literal=True).str.to_lowercase()


def gather(values: pl.Series, at: str | pl.Expr) -> pl.Expr:
    """`values` at the index each row's `at` gives (a column name or an expression): how a
    frame of candidates reads a fact of the word, piece or paragraph it points at."""
    return pl.lit(values).gather(pl.col(at) if isinstance(at, str) else at)


def _shape(word: pl.Expr) -> pl.Expr:
    core = word.str.extract(r"([\p{L}\p{N}])", 1)
    return (
        pl.when(word.str.contains("[0-9]"))
        .then(NUMBER)
        .when(core.str.contains(r"^\p{Lu}"))
        .then(CAPITAL)
        .when(core.str.contains(r"^\p{Ll}"))
        .then(LOWER)
        .otherwise(OTHER)
        .cast(pl.UInt8)
    )


def describe(vocab: pl.DataFrame) -> pl.DataFrame:
    """The facts every extractor reads of a distinct word (`word`)."""
    word = pl.col("word")
    return vocab.with_columns(
        lower=word.str.to_lowercase(),
        chars=word.str.len_chars().cast(pl.Int64),
        shape=_shape(word),
    ).with_columns(bare=pl.col("lower").str.strip_chars(PUNCT))


@dataclass(frozen=True)
class Tokens:
    """The words of a batch of paragraphs.

    `paragraphs`: the paragraphs with `_para`, their row number. `words`: one row per word in
    reading order, `_para`, `pos` (its place in the paragraph), `start` (its offset in the text,
    in characters) and `wid`. `vocab`: one row per distinct word, `wid` (its row number) and
    `word` as written, with the columns of `describe` and a boolean column per mark. `marked`:
    the words that bear a mark, as in `words` with `_rw`, their row there.
    """

    paragraphs: pl.DataFrame
    words: pl.DataFrame
    vocab: pl.DataFrame
    marked: pl.DataFrame

    def bearing(self, mark: str) -> pl.DataFrame:
        """The words that bear `mark`, in reading order."""
        return self.marked.filter(pl.lit(self.vocab[mark]).gather(pl.col("wid")))

    @cached_property
    def lengths(self) -> pl.Series:
        """How many words each paragraph has, by `_para`."""
        return self.paragraphs["_words"]


def cut(paragraphs: pl.DataFrame, marks: Mapping[str, pl.Expr] | None = None) -> Tokens:
    """The token pass over paragraphs (`article_id`, `paragraph_no`, `kind`, `text`, ...); `marks`
    name conditions on the vocabulary's columns that single out the words extractors read."""
    marks = marks or {}
    lists = paragraphs.with_row_index("_para").with_columns(_split=pl.col("text").str.split(" "))
    rows = lists.with_columns(_words=pl.col("_split").list.len().cast(pl.Int64))
    # The row of each paragraph's first word: positions and offsets come from running sums over
    # all the words, less the sum at the paragraph's first word.
    first = rows["_words"].cum_sum() - rows["_words"]
    split = rows.select("_para", word="_split").explode("word")
    vocab = describe(split.select(pl.col("word").unique(maintain_order=True)).with_row_index("wid"))
    vocab = vocab.with_columns(**{name: condition.fill_null(False) for name, condition in marks.items()})
    step = pl.lit(vocab["chars"]).gather(pl.col("wid")) + 1
    head = pl.lit(first).gather(pl.col("_para"))
    words = (
        split.join(vocab.select("word", "wid"), on="word", how="left", maintain_order="left")
        .select("_para", "wid")
        .with_columns(_before=step.cum_sum() - step, _head=head)
        .select(
            "_para",
            "wid",
            pos=(pl.int_range(pl.len(), dtype=pl.Int64) - pl.col("_head")).cast(pl.UInt32),
            start=pl.col("_before") - pl.col("_before").gather(pl.col("_head")),
        )
    )
    any_mark = pl.any_horizontal(*(pl.col(m) for m in marks)) if marks else pl.lit(False)
    bears = vocab.select(any_mark.alias("m"))["m"]
    marked = words.with_row_index("_rw").filter(pl.lit(bears).gather(pl.col("wid")))
    return Tokens(rows.drop("_split"), words, vocab, marked)
