"""`archive.duckdb`: the package's tables and the views of `sql/`, for analysts.

Why the data is inside the database and not read from the Parquet files by the views: a view
over `read_parquet('metric.parquet')` resolves that path against the *working directory* of
whoever opens the database, so it breaks as soon as the folder is copied or opened from
elsewhere. Tables stored in the file work from anywhere, read-only, with stock DuckDB.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq

from archive_etl.schema import TABLES, Table
from archive_etl.sqltext import identifier
from archive_etl.sqltext import literal as _lit

DATABASE = "archive.duckdb"
MEMORY_LIMIT = "512MB"
FOLD_BATCH = 50_000
# The base view of each table: plural, as analysts name what they query.
BASE_VIEWS = {
    "source_file": "source_files",
    "article": "articles",
    "paragraph": "paragraphs",
    "metric": "metrics",
}


def _fold_table() -> dict[str, str]:
    """Lowercase Latin letters with diacritics (Vietnamese included) to their base letter; đ to d."""
    table = {"đ": "d"}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if ch == ch.lower() and base != ch:
            table[ch] = base
    return table


_FOLD = _fold_table()


def fold_for_search(text: pl.Expr) -> pl.Expr:
    """The Polars twin of the SQL macro `vn_fold` (sql/00_functions.sql), for NFC text.

    Folding 200,000 paragraphs takes Polars under a second and DuckDB's strip_accents and
    nfc_normalize several, so the stored folded text is made here; the tests hold both equal.
    """
    return text.str.to_lowercase().str.replace_many(_FOLD)


def sql_dir() -> Path:
    """The view definitions: shipped inside the wheel, or `sql/` of the repository."""
    packaged = Path(__file__).parent / "sql"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "sql"


def _comment_from_schema(con: duckdb.DuckDBPyConnection, tables: Iterable[Table]) -> None:
    """Comment the base views from the schema, then every uncommented view column after the
    schema field, or else the commented view column, of the same name (`ratios.sentence` is
    `metric_facts.sentence`)."""
    descriptions: dict[str, str] = {}
    for table in tables:
        view = BASE_VIEWS[table.name]
        con.execute(f"COMMENT ON TABLE package.{table.name} IS {_lit(table.description)}")
        con.execute(f"COMMENT ON VIEW {view} IS {_lit(table.description)}")
        for field in table.fields:
            con.execute(f"COMMENT ON COLUMN {view}.{field.name} IS {_lit(field.description)}")
            descriptions.setdefault(field.name, field.description)
    for name, comment in con.execute(
        "SELECT column_name, first(comment ORDER BY table_oid) FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND comment IS NOT NULL GROUP BY column_name"
    ).fetchall():
        descriptions.setdefault(name, comment)
    uncommented = con.execute(
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_views() v "
        "ON c.table_name = v.view_name AND c.schema_name = v.schema_name "
        "WHERE c.schema_name = 'main' AND NOT v.internal AND c.comment IS NULL"
    ).fetchall()
    for view, column in uncommented:
        if column in descriptions:
            con.execute(
                f"COMMENT ON COLUMN {identifier(view)}.{identifier(column)} IS {_lit(descriptions[column])}"
            )


def _store_folded_text(con: duckdb.DuckDBPyConnection, paragraphs: Path) -> None:
    """package.paragraph_search: the folded text of every paragraph, a batch at a time."""
    con.execute(
        "CREATE TABLE package.paragraph_search (article_id VARCHAR, paragraph_no BIGINT, folded VARCHAR)"
    )
    for batch in pq.ParquetFile(paragraphs).iter_batches(
        FOLD_BATCH, columns=["article_id", "paragraph_no", "text"]
    ):
        folded = pl.from_arrow(batch).select(
            "article_id", "paragraph_no", folded=fold_for_search(pl.col("text"))
        )
        con.register("folded_batch", folded)
        con.execute("INSERT INTO package.paragraph_search SELECT * FROM folded_batch")
        con.unregister("folded_batch")


def write_database(folder: Path, tables: Iterable[Table] = TABLES) -> Path:
    """Create `folder/archive.duckdb` from the Parquet files in `folder` and the views of `sql/`.

    Written beside the target and renamed over it, so a reader never meets a half-written file.
    """
    tables = list(tables)
    final = folder / DATABASE
    path = folder / f".{DATABASE}.{os.getpid()}.tmp"
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("SET enable_progress_bar = false")
        # Bounded memory whatever the corpus: DuckDB spills beyond this to a temporary folder.
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        # zstd for every column: measured on 10,000 articles, 1.1 s and 30 MB against 4.1 s and
        # 75 MB for DuckDB's default choice of compression at checkpoint.
        con.execute("SET force_compression = 'zstd'")
        con.execute("CREATE SCHEMA package")
        for table in tables:
            parquet = str(folder / table.path)
            con.execute(f"CREATE TABLE package.{table.name} AS SELECT * FROM read_parquet({_lit(parquet)})")
        if any(t.name == "paragraph" for t in tables):
            _store_folded_text(con, folder / "paragraph.parquet")
        for script in sorted(sql_dir().glob("*.sql")):
            con.execute(script.read_text(encoding="utf-8"))
        _comment_from_schema(con, tables)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        path.unlink(missing_ok=True)
        raise
    con.close()
    path.replace(final)
    return final


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """Open a package's database read-only, as an analyst would."""
    path = Path(folder) / DATABASE
    if not path.is_file():
        raise FileNotFoundError(f"no {DATABASE} in {folder}: build the package first (archive-etl build)")
    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")  # show times as the sources wrote them
    con.execute("SET enable_progress_bar = false")  # results on stdout stay clean for pipes
    return con
