"""The search index written into `archive.duckdb`, from the parse's tokens of every bucket.

The write stage hands each bucket's paragraphs, the tokens of its distinct texts and its
syllables (parse/terms.py) to an `IndexSpill` as it writes the bucket's tables; the database
stage reads them back to make the index anew (`create_index`) or to add the new articles to a
copy of the previous package's (`update_index`). The index holds each distinct paragraph text
once, as a *doc*: a byline, a caption or a paragraph that several articles repeat has one doc and
one set of postings, and search_doc lists the paragraphs that have it.

Tables (sql/50_search.sql comments them): search_term (syllables: term, term_id, df, postings),
search_pair (pairs: term_id, df, postings), search_doc (doc, article_id, paragraph_no, kind),
search_text (doc, key1, key2: each doc's text key), search_posting and search_top (term_id, doc,
w), search_stats.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from archive_etl.database import search
from archive_etl.database.postings import TermRanges
from archive_etl.parse.terms import TEXT_KEY, text_key

# The search index's tables, as create_index makes them.
SEARCH_TABLES = (
    "search_term",
    "search_pair",
    "search_doc",
    "search_text",
    "search_posting",
    "search_top",
    "search_stats",
)
_POSTING_COLUMNS = "term_id UBIGINT, doc UINTEGER, w UTINYINT"
_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")
_KEY = list(TEXT_KEY)
_PARTS = ("paragraphs", "texts", "terms")


class IndexSpill:
    """Each bucket's share of the index, in write order, kept as files in `folder` for the
    database stage (Arrow IPC, lz4): its paragraphs (article_id, paragraph_no, kind and their
    text's key), the tokens of its distinct texts and its syllables; and the articles of each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.articles: list[list[str]] = []

    def _path(self, number: int, part: str) -> Path:
        return self.folder / f"{number:05d}.{part}.arrow"

    def add(self, paragraphs: pl.DataFrame, texts: pl.DataFrame, terms: pl.DataFrame) -> None:
        """Keep a bucket's paragraphs (article_id, paragraph_no, kind, text) as written, its texts'
        tokens (key1, key2, tokens) and the syllables they number (term)."""
        number = len(self.articles)
        frames = {
            "paragraphs": paragraphs.select("article_id", "paragraph_no", "kind", **text_key(pl.col("text"))),
            "texts": texts.select(*_KEY, "tokens"),
            "terms": terms.select("term"),
        }
        for part, frame in frames.items():
            table = frame.to_arrow()
            with pa.ipc.new_stream(str(self._path(number, part)), table.schema, options=_OPTIONS) as writer:
                writer.write_table(table)
        self.articles.append(paragraphs["article_id"].unique().to_list())

    def _read(self, number: int, part: str) -> pl.DataFrame:
        with pa.ipc.open_stream(str(self._path(number, part))) as reader:
            frame = pl.from_arrow(reader.read_all())
        assert isinstance(frame, pl.DataFrame)
        return frame

    def __len__(self) -> int:
        return len(self.articles)

    def terms(self, only: set[str] | None = None) -> Iterator[pl.DataFrame]:
        """Each bucket's syllables (of the buckets holding any of `only`, with it)."""
        for number in self._numbers(only):
            yield self._read(number, "terms")

    def _numbers(self, only: set[str] | None) -> list[int]:
        return [
            n for n, articles in enumerate(self.articles) if only is None or not only.isdisjoint(articles)
        ]

    def buckets(self, only: set[str] | None = None) -> Iterator[tuple[pl.DataFrame, ...]]:
        """Each bucket's (paragraphs, texts, terms); with `only`, the paragraphs of those
        articles, from the buckets that hold any of them."""
        for number in self._numbers(only):
            paragraphs, texts, terms = (self._read(number, part) for part in _PARTS)
            if only is not None:
                paragraphs = paragraphs.filter(pl.col("article_id").is_in(sorted(only)))
            yield paragraphs, texts, terms


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("frame_in", frame)
    con.execute(f"INSERT INTO {table} SELECT * FROM frame_in")
    con.unregister("frame_in")


class _Docs:
    """The distinct texts met so far, numbered (key1, key2, doc), and the paragraphs that have
    each: the docs' state through a build, bucket by bucket."""

    def __init__(self, known: pl.DataFrame | None = None, first: int = 0) -> None:
        schema = {"key1": pl.UInt64, "key2": pl.UInt64, "doc": pl.UInt32}
        self.texts = [known] if known is not None else [pl.DataFrame(schema=schema)]
        self.next = first
        self.paragraphs: list[pl.DataFrame] = []

    def add(self, paragraphs: pl.DataFrame) -> pl.DataFrame:
        """Number the bucket's texts not met before and keep its paragraphs' docs; return the
        new texts (key1, key2, doc)."""
        seen = pl.concat(self.texts) if len(self.texts) > 1 else self.texts[0]
        self.texts = [seen]
        fresh = paragraphs.select(_KEY).unique(maintain_order=True).join(seen, on=_KEY, how="anti")
        fresh = fresh.with_columns(doc=pl.int_range(self.next, self.next + pl.len(), dtype=pl.UInt32))
        self.next += fresh.height
        self.texts.append(fresh)
        docs = paragraphs.join(pl.concat([seen, fresh]), on=_KEY, maintain_order="left")
        self.paragraphs.append(docs.select("doc", "article_id", "paragraph_no", "kind"))
        return fresh

    def rows(self) -> pl.DataFrame:
        """search_doc's rows, by doc, then paragraph."""
        if not self.paragraphs:
            schema = {"doc": pl.UInt32, "article_id": pl.String, "paragraph_no": pl.Int64, "kind": pl.String}
            return pl.DataFrame(schema=schema)
        return pl.concat(self.paragraphs).sort("doc", "article_id", "paragraph_no")


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE package.search_posting ({_POSTING_COLUMNS})")
    con.execute(f"CREATE TABLE package.search_top ({_POSTING_COLUMNS})")


def _stats(con: duckdb.DuckDBPyConnection, avgdl: float) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE package.search_stats AS SELECT "
        f"{avgdl}::DOUBLE AS avgdl, {search.K1}::DOUBLE AS k1, {search.B}::DOUBLE AS b, "
        f"{search.W_SCALE}::DOUBLE AS w_scale, {search.TIER}::INTEGER AS tier, "
        f"{search.PAIR_BASE}::UBIGINT AS pair_base"
    )


def _table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, order: str) -> None:
    con.register("rows_in", frame)
    con.execute(f"CREATE OR REPLACE TABLE package.{name} AS SELECT * FROM rows_in ORDER BY {order}")
    con.unregister("rows_in")


def _term_tables(con: duckdb.DuckDBPyConnection, vocabulary: pl.DataFrame, counts: pl.DataFrame) -> None:
    """search_term (the syllables that occur, by term) and search_pair (by term_id) from the
    vocabulary and each term's counts (term_id, df, postings)."""
    _table(
        con,
        "search_term",
        vocabulary.join(counts, on="term_id").select("term", "term_id", "df", "postings"),
        "term",
    )
    _table(con, "search_pair", counts.filter(pl.col("term_id") >= search.PAIR_BASE), "term_id")


def _index_texts(
    texts: pl.DataFrame, fresh: pl.DataFrame, terms: pl.DataFrame, vocabulary: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The lengths (doc, dl) and the occurrences of the texts `fresh` numbers."""
    index = fresh.join(texts, on=_KEY, maintain_order="left").select("doc", "tokens")
    return search.occurrences(index, terms, vocabulary)


def create_index(con: duckdb.DuckDBPyConnection, spill: IndexSpill, scratch: Path) -> None:
    """The search index of every paragraph: terms, docs and postings sorted by term, so that a
    query reads only the row groups of its own terms (DuckDB's zonemaps). The postings are
    sorted a term range at a time (database/postings.py) and inserted in order."""
    vocabulary = search.vocabulary(spill.terms())
    _create_tables(con)
    docs = _Docs()
    lengths: list[pl.DataFrame] = []
    counts: list[pl.DataFrame] = []
    with tempfile.TemporaryDirectory(prefix=".postings-", dir=scratch) as folder:
        ranges = TermRanges(Path(folder), len(spill))
        try:
            for paragraphs, texts, terms in spill.buckets():
                dl, found = _index_texts(texts, docs.add(paragraphs), terms, vocabulary)
                lengths.append(dl)
                ranges.add(found)
            rows = docs.rows()
            weights = search.Weights.of(pl.concat(lengths) if lengths else None, rows, docs.next)
            # A range holds every posting of its terms: their tiers are cut from it at once.
            for found in ranges.sorted():
                postings = search.postings(found, weights.norm)
                _insert(con, "package.search_posting", postings)
                _insert(con, "package.search_top", search.best_postings(postings))
                counts.append(search.document_counts(postings, weights.copies))
        finally:
            ranges.close()
    _table(con, "search_doc", rows, "doc, article_id, paragraph_no")
    _table(con, "search_text", pl.concat(docs.texts), "doc")
    empty = pl.DataFrame(schema={"term_id": pl.UInt64, "df": pl.UInt32, "postings": pl.UInt32})
    _term_tables(con, vocabulary, pl.concat(counts) if counts else empty)
    _stats(con, weights.avgdl)


# A posting's place in its term's best-first order as one integer, higher first: the weight,
# then the lower doc (search.best_postings packs the same).
_RANK = "((w::UBIGINT << 32) | (4294967295 - doc)::UBIGINT)"


def _add_tiers(con: duckdb.DuckDBPyConnection, terms: str) -> None:
    """Add to package.search_top the tiers of the terms the query `terms` names, cut from their
    postings as a fresh build cuts them (search.best_postings)."""
    postings = con.sql(
        f"SELECT term_id, doc, w FROM package.search_posting WHERE term_id IN ({terms}) ORDER BY term_id, doc"
    ).pl()
    _insert(con, "package.search_top", search.best_postings(postings))


_COUNTS = (
    "(SELECT term_id, postings FROM package.search_term UNION ALL "
    "SELECT term_id, postings FROM package.search_pair)"
)


def _update_tiers(con: duckdb.DuckDBPyConnection, first_doc: int) -> None:
    """Keep every term's tier in package.search_top a head of its postings in best-first order,
    the one thing search relies on, after the docs of gone_doc (whose terms are in gone_term)
    were dropped and docs from `first_doc` added: gone rows go, fresh postings that rank above
    the tier's last row join it, and it is cut back to TIER rows. A tier may come out shorter
    than TIER; search then settles less often."""
    tier = search.TIER
    con.execute("DELETE FROM package.search_top WHERE doc IN (SELECT doc FROM gone_doc)")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE touched AS SELECT term_id, postings FROM {_COUNTS} "
        "WHERE term_id IN (SELECT term_id FROM gone_term "
        f"  UNION SELECT term_id FROM package.search_posting WHERE doc >= {first_doc})"
    )
    con.execute(
        "DELETE FROM package.search_top "
        f"WHERE term_id IN (SELECT term_id FROM touched WHERE postings <= {tier})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE tier_end AS SELECT term_id, min({_RANK}) AS k FROM package.search_top "
        f"WHERE term_id IN (SELECT term_id FROM touched WHERE postings > {tier}) GROUP BY term_id"
    )
    con.execute(
        "INSERT INTO package.search_top SELECT term_id, doc, w FROM package.search_posting "
        f"JOIN tier_end USING (term_id) WHERE doc >= {first_doc} AND {_RANK} > k"
    )
    con.execute(
        "DELETE FROM package.search_top t USING ("
        "  SELECT term_id, doc FROM package.search_top WHERE term_id IN (SELECT term_id FROM tier_end) "
        f"  QUALIFY row_number() OVER (PARTITION BY term_id ORDER BY w DESC, doc) > {tier}) x "
        "WHERE t.term_id = x.term_id AND t.doc = x.doc"
    )
    # Terms over TIER with no tier: new to it, or every row of theirs was gone.
    _add_tiers(
        con,
        f"SELECT term_id FROM touched WHERE postings > {tier} "
        "AND term_id NOT IN (SELECT term_id FROM tier_end)",
    )


def _count_into(con: duckdb.DuckDBPyConnection, counts: pl.DataFrame, sign: str) -> None:
    """Add (sign '+') or take (sign '-') the counts (term_id, df, postings) to the term tables'."""
    con.register("counted", counts)
    for table in ("search_term", "search_pair"):
        con.execute(
            f"UPDATE package.{table} t SET df = t.df {sign} c.df, postings = t.postings {sign} c.postings "
            "FROM counted c WHERE t.term_id = c.term_id"
        )
    con.unregister("counted")


def _drop_stale(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the paragraphs of the stale articles (temp table `stale`) from search_doc, their
    counts from the terms', and the docs no paragraph has any more (gone_doc) with their
    postings (their terms in gone_term)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stale_copies AS SELECT doc, count(*)::UINTEGER AS n "
        "FROM package.search_doc WHERE article_id IN (SELECT article_id FROM stale) GROUP BY doc"
    )
    con.execute("DELETE FROM package.search_doc WHERE article_id IN (SELECT article_id FROM stale)")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gone_doc AS SELECT doc FROM stale_copies "
        "WHERE doc NOT IN (SELECT doc FROM package.search_doc)"
    )
    counts = con.sql(
        "SELECT p.term_id, sum(s.n)::UINTEGER AS df, "
        "count(*) FILTER (WHERE s.doc IN (SELECT doc FROM gone_doc))::UINTEGER AS postings "
        "FROM package.search_posting p JOIN stale_copies s USING (doc) GROUP BY p.term_id"
    ).pl()
    _count_into(con, counts, "-")
    con.register("gone_terms_in", counts.filter(pl.col("postings") > 0).select("term_id"))
    con.execute("CREATE OR REPLACE TEMP TABLE gone_term AS SELECT * FROM gone_terms_in")
    con.unregister("gone_terms_in")
    con.execute("DELETE FROM package.search_posting WHERE doc IN (SELECT doc FROM gone_doc)")
    con.execute("DELETE FROM package.search_text WHERE doc IN (SELECT doc FROM gone_doc)")


def update_index(con: duckdb.DuckDBPyConnection, spill: IndexSpill, fresh: set[str]) -> None:
    """Drop what the stale articles (temp table `stale`) held, index the `fresh` ones from the
    spill: their paragraphs join the docs of the texts the index holds, their new texts become
    new docs, whose postings are appended as one run sorted by term (a later create sorts the
    whole table again). The average length and the vocabulary's numbers stay."""
    _drop_stale(con)
    [(avgdl, first)] = con.execute(
        "SELECT avgdl, (SELECT coalesce(max(doc) + 1, 0) FROM package.search_text) FROM package.search_stats"
    ).fetchall()
    known = con.sql("SELECT term, term_id FROM package.search_term").pl()
    vocabulary = search.vocabulary(spill.terms(fresh), known)
    docs = _Docs(con.sql("SELECT key1, key2, doc FROM package.search_text").pl(), first)
    lengths, found = [], []
    for paragraphs, texts, terms in spill.buckets(fresh):
        dl, occurring = _index_texts(texts, docs.add(paragraphs), terms, vocabulary)
        lengths.append(dl)
        found.append(occurring)
    rows = docs.rows()
    _insert(con, "package.search_doc", rows)
    new_texts = pl.concat(docs.texts).filter(pl.col("doc") >= first)
    _insert(con, "package.search_text", new_texts)
    weights = search.Weights.of(pl.concat(lengths) if lengths else None, rows, docs.next, avgdl, first)
    occurring = pl.concat(found) if found else pl.DataFrame(schema={"term_id": pl.UInt64, "doc": pl.UInt32})
    postings = search.postings(occurring.sort("term_id", maintain_order=True), weights.norm, first)
    _insert(con, "package.search_posting", postings)
    # The new copies of texts the index held count in their terms' df too.
    con.register(
        "copies_in", rows.filter(pl.col("doc") < first).group_by("doc").agg(n=pl.len().cast(pl.UInt32))
    )
    old = con.sql(
        "SELECT p.term_id, sum(c.n)::UINTEGER AS df, 0::UINTEGER AS postings "
        "FROM package.search_posting p JOIN copies_in c USING (doc) GROUP BY p.term_id"
    ).pl()
    con.unregister("copies_in")
    counts = pl.concat([search.document_counts(postings, weights.copies, first), old])
    counts = counts.group_by("term_id").agg(pl.col("df").sum(), pl.col("postings").sum())
    new_terms = vocabulary.join(known, on="term", how="anti").join(counts, on="term_id")
    zero = {"df": pl.lit(0, pl.UInt32), "postings": pl.lit(0, pl.UInt32)}
    con.register("new_terms", new_terms.select("term", "term_id", **zero))
    con.execute("INSERT INTO package.search_term SELECT * FROM new_terms")
    con.unregister("new_terms")
    pairs = counts.filter(pl.col("term_id") >= search.PAIR_BASE)
    con.register("pairs_in", pairs.select("term_id", **zero))
    con.execute(
        "INSERT INTO package.search_pair SELECT * FROM pairs_in "
        "WHERE term_id NOT IN (SELECT term_id FROM package.search_pair)"
    )
    con.unregister("pairs_in")
    _count_into(con, counts, "+")
    con.execute("DELETE FROM package.search_term WHERE df = 0")
    con.execute("DELETE FROM package.search_pair WHERE df = 0")
    _update_tiers(con, first)
