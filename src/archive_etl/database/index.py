"""The search index written into `archive.duckdb`, from the parse's tokens of every bucket.

The write stage hands each bucket's index rows and syllables (parse/terms.py) to an `IndexSpill`
as it writes the bucket's tables; the database stage reads them back to make the index anew
(`create_index`) or to add the new articles to a copy of the previous package's (`update_index`).
Tables (sql/50_search.sql comments them): search_term (syllables: term, term_id, df), search_pair
(pairs: term_id, df), search_doc (doc, article_id, paragraph_no), search_posting and search_top
(term_id, doc, w), search_stats.
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

# The search index's tables, as create_index makes them.
SEARCH_TABLES = ("search_term", "search_pair", "search_doc", "search_posting", "search_top", "search_stats")
_POSTING_COLUMNS = "term_id UBIGINT, doc UINTEGER, w UTINYINT"
_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")
_INDEX_SCHEMA = {"article_id": pl.String, "paragraph_no": pl.Int64, "tokens": pl.List(pl.UInt32)}


class IndexSpill:
    """Each bucket's index rows and syllables, in write order, kept as files in `folder` for the
    database stage (Arrow IPC, lz4), with the articles each bucket holds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.articles: list[list[str]] = []

    def _path(self, number: int, part: str) -> Path:
        return self.folder / f"{number:05d}.{part}.arrow"

    def add(self, index: pl.DataFrame, terms: pl.DataFrame) -> None:
        """Keep a bucket's index rows (article_id, paragraph_no, tokens), in the order its
        paragraphs are written, and the syllables its tokens number (term)."""
        number = len(self.articles)
        for part, frame in (("index", index.select(*_INDEX_SCHEMA)), ("terms", terms.select("term"))):
            table = frame.to_arrow()
            with pa.ipc.new_stream(str(self._path(number, part)), table.schema, options=_OPTIONS) as writer:
                writer.write_table(table)
        self.articles.append(index["article_id"].unique().to_list())

    def _read(self, number: int, part: str) -> pl.DataFrame:
        with pa.ipc.open_stream(str(self._path(number, part))) as reader:
            frame = pl.from_arrow(reader.read_all())
        assert isinstance(frame, pl.DataFrame)
        return frame

    def __len__(self) -> int:
        return len(self.articles)

    def terms(self) -> Iterator[pl.DataFrame]:
        """Each bucket's syllables."""
        return (self._read(n, "terms") for n in range(len(self)))

    def buckets(self, only: set[str] | None = None) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        """Each bucket's (index, terms); with `only`, the rows of those articles, from the
        buckets that hold any of them."""
        for number, articles in enumerate(self.articles):
            if only is not None and only.isdisjoint(articles):
                continue
            index = self._read(number, "index")
            if only is not None:
                index = index.filter(pl.col("article_id").is_in(sorted(only)))
            yield index, self._read(number, "terms")


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("frame_in", frame)
    con.execute(f"INSERT INTO {table} SELECT * FROM frame_in")
    con.unregister("frame_in")


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE package.search_doc (doc UINTEGER, article_id VARCHAR, paragraph_no BIGINT)")
    con.execute(f"CREATE TABLE package.search_posting ({_POSTING_COLUMNS})")
    con.execute(f"CREATE TABLE package.search_top ({_POSTING_COLUMNS})")


def _stats(con: duckdb.DuckDBPyConnection, avgdl: float) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE package.search_stats AS SELECT "
        f"{avgdl}::DOUBLE AS avgdl, {search.K1}::DOUBLE AS k1, {search.B}::DOUBLE AS b, "
        f"{search.W_SCALE}::DOUBLE AS w_scale, {search.TIER}::INTEGER AS tier, "
        f"{search.PAIR_BASE}::UBIGINT AS pair_base"
    )


def _term_tables(con: duckdb.DuckDBPyConnection, vocabulary: pl.DataFrame, counts: pl.DataFrame) -> None:
    """search_term (the syllables that occur, by term) and search_pair (by term_id) from the
    vocabulary and each term's df."""
    syllables = vocabulary.join(counts, on="term_id").select("term", pl.col("term_id"), "df")
    pairs = counts.filter(pl.col("term_id") >= search.PAIR_BASE)
    for name, frame, order in (("search_term", syllables, "term"), ("search_pair", pairs, "term_id")):
        con.register("terms_in", frame)
        con.execute(f"CREATE OR REPLACE TABLE package.{name} AS SELECT * FROM terms_in ORDER BY {order}")
        con.unregister("terms_in")


def create_index(con: duckdb.DuckDBPyConnection, spill: IndexSpill, scratch: Path) -> None:
    """The search index of every paragraph: terms, documents and postings sorted by term, so
    that a query reads only the row groups of its own terms (DuckDB's zonemaps). The postings
    are sorted a term range at a time (database/postings.py) and inserted in order."""
    vocabulary = search.vocabulary(spill.terms())
    _create_tables(con)
    lengths: list[pl.Series] = []
    with tempfile.TemporaryDirectory(prefix=".postings-", dir=scratch) as folder:
        ranges = TermRanges(Path(folder), len(spill))
        try:
            doc = 0
            for index, terms in spill.buckets():
                docs, found = search.occurrences(index, terms, vocabulary, doc)
                doc += docs.height
                _insert(con, "package.search_doc", docs.drop("dl"))
                lengths.append(docs["dl"])
                ranges.add(found)
            dl = pl.concat(lengths) if lengths else pl.Series(dtype=pl.UInt32)
            avgdl = max(float(dl.sum()) / max(dl.len(), 1), 1.0)
            norm = search.norms(dl, avgdl)
            counts = []
            # A range holds every posting of its terms: their tiers are cut from it at once.
            for found in ranges.sorted():
                postings = search.postings(found, norm)
                _insert(con, "package.search_posting", postings)
                _insert(con, "package.search_top", search.best_postings(postings))
                counts.append(search.document_counts(postings))
        finally:
            ranges.close()
    empty = pl.DataFrame(schema={"term_id": pl.UInt64, "df": pl.UInt32})
    _term_tables(con, vocabulary, pl.concat(counts) if counts else empty)
    _stats(con, avgdl)


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


_DF = "(SELECT term_id, df FROM package.search_term UNION ALL SELECT term_id, df FROM package.search_pair)"


def _update_tiers(con: duckdb.DuckDBPyConnection, first_doc: int) -> None:
    """Keep every term's tier in package.search_top a head of its postings in best-first order,
    the one thing search relies on, after stale_doc (whose postings' terms are in gone_term)
    were dropped and docs from `first_doc` added: stale rows go, fresh postings that rank above
    the tier's last row join it, and it is cut back to TIER rows. A tier may come out shorter
    than TIER; search then settles less often."""
    tier = search.TIER
    con.execute("DELETE FROM package.search_top WHERE doc IN (SELECT doc FROM stale_doc)")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE touched AS SELECT term_id, df FROM {_DF} "
        "WHERE term_id IN (SELECT term_id FROM gone_term "
        f"  UNION SELECT term_id FROM package.search_posting WHERE doc >= {first_doc})"
    )
    con.execute(
        f"DELETE FROM package.search_top WHERE term_id IN (SELECT term_id FROM touched WHERE df <= {tier})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE tier_end AS SELECT term_id, min({_RANK}) AS k FROM package.search_top "
        f"WHERE term_id IN (SELECT term_id FROM touched WHERE df > {tier}) GROUP BY term_id"
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
    # Terms over TIER with no tier: new to it, or every row of theirs was stale.
    _add_tiers(
        con,
        f"SELECT term_id FROM touched WHERE df > {tier} AND term_id NOT IN (SELECT term_id FROM tier_end)",
    )


def _count_into(con: duckdb.DuckDBPyConnection, counts: pl.DataFrame, sign: str) -> None:
    """Add (sign '+') or take (sign '-') the df of `counts` (term_id, df) to the term tables."""
    con.register("counted", counts)
    for table in ("search_term", "search_pair"):
        con.execute(
            f"UPDATE package.{table} t SET df = t.df {sign} c.df FROM counted c WHERE t.term_id = c.term_id"
        )
    con.unregister("counted")


def update_index(con: duckdb.DuckDBPyConnection, spill: IndexSpill, fresh: set[str]) -> None:
    """Drop the documents and postings of the stale articles (temp table `stale`), index the
    `fresh` ones from the spill; new postings are appended as one run sorted by term (a later
    create sorts the whole table again). The average length and the vocabulary's numbers stay."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stale_doc AS "
        "SELECT doc FROM package.search_doc WHERE article_id IN (SELECT article_id FROM stale)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gone_term AS SELECT term_id, count(*)::UINTEGER AS df "
        "FROM package.search_posting WHERE doc IN (SELECT doc FROM stale_doc) GROUP BY term_id"
    )
    _count_into(con, con.sql("SELECT * FROM gone_term").pl(), "-")
    con.execute("DELETE FROM package.search_posting WHERE doc IN (SELECT doc FROM stale_doc)")
    con.execute("DELETE FROM package.search_doc WHERE article_id IN (SELECT article_id FROM stale)")
    [(avgdl, first)] = con.execute(
        "SELECT avgdl, (SELECT coalesce(max(doc) + 1, 0) FROM package.search_doc) FROM package.search_stats"
    ).fetchall()
    known = con.sql("SELECT term, term_id FROM package.search_term").pl()
    buckets = list(spill.buckets(fresh))
    vocabulary = search.vocabulary((terms for _, terms in buckets), known)
    doc, found, lengths = first, [], []
    for index, terms in buckets:
        docs, occurring = search.occurrences(index, terms, vocabulary, doc)
        doc += docs.height
        _insert(con, "package.search_doc", docs.drop("dl"))
        found.append(occurring)
        lengths.append(docs["dl"])
    if found:
        norm = search.norms(pl.concat(lengths), avgdl)
        postings = search.postings(pl.concat(found).sort("term_id", maintain_order=True), norm, first)
        _insert(con, "package.search_posting", postings)
        counts = search.document_counts(postings)
        new = vocabulary.join(known, on="term", how="anti").join(counts, on="term_id")
        con.register("new_terms", new.select("term", "term_id", pl.lit(0, pl.UInt32).alias("df")))
        con.execute("INSERT INTO package.search_term SELECT * FROM new_terms")
        con.unregister("new_terms")
        pairs = counts.filter(pl.col("term_id") >= search.PAIR_BASE)
        con.register("pairs_in", pairs.select("term_id", pl.lit(0, pl.UInt32).alias("df")))
        con.execute(
            "INSERT INTO package.search_pair SELECT * FROM pairs_in "
            "WHERE term_id NOT IN (SELECT term_id FROM package.search_pair)"
        )
        con.unregister("pairs_in")
        _count_into(con, counts, "+")
    con.execute("DELETE FROM package.search_term WHERE df = 0")
    con.execute("DELETE FROM package.search_pair WHERE df = 0")
    _update_tiers(con, first)
