"""Nothing lost: the decoded source is in the package, and the paragraphs cover all of it."""

from __future__ import annotations

import hashlib

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_etl.build.tables import Tables
from archive_etl.parse.lines import WHITE_SPACE, fold_whitespace
from archive_etl.parse.texts import paragraphs_of
from archive_etl.read.decode import decode, normalise


def fold(s: str) -> str:
    return pl.select(fold_whitespace(pl.lit(s))).item()


def assert_covers(text: str, paragraphs: pl.DataFrame) -> None:
    """Paragraph spans are ordered, disjoint, hold their text, and leave only white space out."""
    rest, position = [], 0
    for row in paragraphs.sort("paragraph_no").iter_rows(named=True):
        start, end = row["char_start"], row["char_end"]
        assert position <= start < end <= len(text)
        assert fold(text[start:end]) == row["text"]
        rest.append(text[position:start])
        position = end
    rest.append(text[position:])
    assert "".join(rest).strip() == ""
    # Reading the paragraphs in order gives back every non-blank line of the source.
    lines = [fold(line) for line in text.split("\n") if fold(line)]
    assert paragraphs["text"].to_list() == lines
    assert paragraphs["line_no"].to_list() == [i for i, line in enumerate(text.split("\n"), 1) if fold(line)]


def test_the_package_holds_each_seed_exactly_as_decoded(seed_tables: Tables, seeds_dir) -> None:
    for row in seed_tables.article.iter_rows(named=True):
        data = (seeds_dir / row["source_file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["source_sha256"]
        assert row["text"] == decode(data).text


def test_seed_paragraphs_cover_the_whole_text(seed_tables: Tables) -> None:
    for article_id, text in seed_tables.article.select("article_id", "text").iter_rows():
        assert_covers(text, seed_tables.paragraph.filter(pl.col("article_id") == article_id))


def test_seed_spans_slice_out_in_duckdb_too(seed_tables: Tables) -> None:
    # Offsets are code points, so any engine that indexes characters (DuckDB, Python) agrees.
    import duckdb

    article, paragraph = seed_tables.article, seed_tables.paragraph  # noqa: F841 (used by DuckDB)
    mismatches = duckdb.sql(
        f"""
        SELECT count(*) FROM paragraph p JOIN article a USING (article_id)
        WHERE regexp_replace(substring(a.text, p.char_start + 1, p.char_end - p.char_start),
                             '{WHITE_SPACE}+', ' ', 'g') <> p.text
        """
    ).fetchall()[0][0]
    assert mismatches == 0


lines_text = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["", " ", "\t \u00a0", "Quận uỷ", "Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 1", "HNP - x"]
        ),
    ),
    max_size=12,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(lines_text)
def test_losslessness_holds_for_arbitrary_text(raw: str) -> None:
    text = normalise(raw)
    frame = pl.LazyFrame({"article_id": ["x"], "text": [text]})
    paragraphs = paragraphs_of(frame).collect()
    assert_covers(text, paragraphs)
    assert paragraphs["paragraph_no"].to_list() == list(range(1, paragraphs.height + 1))
