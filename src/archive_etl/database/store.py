"""`archive.duckdb`: the package's tables and the views of `sql/`, for analysts.

Why the data is inside the database and not read from the Parquet files by the views: a view
over `read_parquet('metric.parquet')` resolves that path against the *working directory* of
whoever opens the database, so it breaks as soon as the folder is copied or opened from
elsewhere. Tables stored in the file work from anywhere, read-only, with stock DuckDB.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

import duckdb

from archive_etl.database.index import IndexSpill, create_index, update_index
from archive_etl.database.sqltext import identifier
from archive_etl.database.sqltext import literal as _lit
from archive_etl.package.descriptor import read_descriptor
from archive_etl.resources import bundled, code_version
from archive_etl.schema import ARTICLE, TABLES, TIME_ZONE

DATABASE = "archive.duckdb"
# The oldest storage format DuckDB 2.0 writes in which every view, macro and comment works, so
# DuckDB 1.x clients (DBeaver's driver, R, older Python environments, the pip `duckdb-cli`) open
# the file too. Tried: Python duckdb 0.10.3, 1.0.0, 1.1.3, 1.2.2, 1.3.2, 1.4.4, 1.5.6 and 2.0.0,
# duckdb-cli 1.4.4 and 1.5.6 (0.10.0 and 0.10.1 cannot read what 2.0 writes in it). The cost: zstd
# came with storage v1.2.0, so text is stored with FSST and dictionaries; on 10,000 synthetic
# articles the file is 169 MB against 33 MB.
# DuckDB keeps a file's own version when it opens one, so the update in place keeps it too: a
# reused database was written by this same module (`database_version` hashes it).
STORAGE_VERSION = "v1.0.0"
MEMORY_LIMIT = "512MB"
# An update in place is used while at most this share of the articles is new or changed.
UPDATE_SHARE = 0.25
# The base view of each table (`Table.view`), by table name.
BASE_VIEWS = {t.name: t.view for t in TABLES}


def sql_dir() -> Path:
    """The view definitions: shipped inside the wheel, or `sql/` of the repository."""
    return bundled("sql")


def _comment_from_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Comment the base views from the schema, then every uncommented view column after the
    schema field, or else the commented view column, of the same name (`ratios.sentence` is
    `metric_facts.sentence`)."""
    descriptions: dict[str, str] = {}
    for table in TABLES:
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


def database_version() -> str:
    """What the database holds besides the data: parser, schema, views and this module's code."""
    digest = hashlib.sha256(code_version("parse", "schema").encode())
    digest.update(json.dumps([t.frictionless() for t in TABLES], sort_keys=True).encode())
    for script in sorted(sql_dir().glob("*.sql")):
        digest.update(script.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _info(version: str, folder: Path) -> dict[str, str]:
    """The build info of a database holding the data of the package in `folder`."""
    descriptor = read_descriptor(folder) or {}
    hashes = {str(r.get("name")): str(r.get("hash")) for r in descriptor.get("resources", [])}
    return {"version": version, "hashes": json.dumps(hashes, sort_keys=True)}


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION})
    con.execute("SET enable_progress_bar = false")
    # Bounded memory whatever the corpus: DuckDB spills beyond this to a temporary folder.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    return con


def _build_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The stored build info, without `mode` (how it was built, not what it holds)."""
    try:
        info = dict(con.execute("SELECT key, value FROM package.build_info").fetchall())
    except duckdb.Error:
        return {}
    info.pop("mode", None)
    return info


def _reusable(previous: Path | None, version: str) -> Path | None:
    """The previous package's database, if this code built it from the data that package holds."""
    if previous is None or not (previous / DATABASE).is_file():
        return None
    with duckdb.connect(str(previous / DATABASE), read_only=True) as con:
        info = _build_info(con)
    return previous / DATABASE if info == _info(version, previous) else None


def _copy_tables(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Every table's rows from its Parquet file, in order, into its empty table."""
    for table in TABLES:
        parquet = _lit(str(folder / table.path))
        con.execute(f"INSERT INTO package.{table.name} SELECT * FROM read_parquet({parquet})")


def _create(con: duckdb.DuckDBPyConnection, folder: Path, spill: IndexSpill) -> None:
    """Every table from the package's Parquet files, the search index, the views and comments."""
    con.execute("CREATE SCHEMA package")
    for table in TABLES:
        parquet = _lit(str(folder / table.path))
        con.execute(f"CREATE TABLE package.{table.name} AS SELECT * FROM read_parquet({parquet}) LIMIT 0")
    # The tables are copied in on a second connection while the search index is made on this
    # one (from the Parquet files too): the copy is DuckDB's work and the index mostly Polars',
    # and neither keeps two cores busy alone.
    copier = con.cursor()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="database-tables") as pool:
            copied = pool.submit(_copy_tables, copier, folder)
            create_index(con, spill, folder)
            copied.result()
    finally:
        copier.close()
    for script in sorted(sql_dir().glob("*.sql")):
        con.execute(script.read_text(encoding="utf-8"))
    _comment_from_schema(con)


def _update(con: duckdb.DuckDBPyConnection, folder: Path, spill: IndexSpill) -> bool:
    """Bring a copy of the previous package's database up to the package in `folder`.

    Rows of a paragraph, metric and search table depend only on their article (its text, the
    parser, the schema: all the same when the build info matches), so only articles that are
    new, gone or kept by another file are deleted and inserted; source_file is replaced whole.
    False, leaving the copy untouched, when so much changed that creating it anew is quicker.
    """
    key = "article_id, source_file, source_sha256"
    article = _lit(str(folder / ARTICLE.path))
    con.execute(f"CREATE TEMP TABLE now AS SELECT {key} FROM read_parquet({article})")
    con.execute(f"CREATE TEMP TABLE fresh AS SELECT * FROM now EXCEPT SELECT {key} FROM package.article")
    con.execute(f"CREATE TEMP TABLE stale AS SELECT {key} FROM package.article EXCEPT SELECT * FROM now")
    [(fresh, total)] = con.execute(
        "SELECT (SELECT count(*) FROM fresh), (SELECT count(*) FROM now)"
    ).fetchall()
    if fresh > UPDATE_SHARE * total:
        return False
    for table in TABLES:
        parquet = _lit(str(folder / table.path))
        if table.name == "source_file":
            con.execute("DELETE FROM package.source_file")
            con.execute(f"INSERT INTO package.source_file SELECT * FROM read_parquet({parquet})")
            continue
        con.execute(f"DELETE FROM package.{table.name} WHERE article_id IN (SELECT article_id FROM stale)")
        con.execute(
            f"INSERT INTO package.{table.name} SELECT * FROM read_parquet({parquet}) "
            "WHERE article_id IN (SELECT article_id FROM fresh)"
        )
    fresh = {a for (a,) in con.execute("SELECT article_id FROM fresh").fetchall()}
    update_index(con, spill, fresh)
    return True


class Base:
    """The database a build starts from: a copy of the previous package's database, when this
    code built it from the data that package holds, made beside the new one on a thread of its
    own. Started before the tables are written, the copy (2.6 GB at 100,000 articles, 1.6-3.6 s)
    overlaps with writing them instead of coming after."""

    def __init__(self, folder: Path, previous: Path | None) -> None:
        self.path = folder / f".{DATABASE}.{os.getpid()}.tmp"
        self.path.unlink(missing_ok=True)
        self.version = database_version()
        self._copy: Future[object] | None = None
        old = _reusable(previous, self.version)
        if old is not None:
            pool = ThreadPoolExecutor(1, thread_name_prefix="database-copy")
            self._copy = pool.submit(shutil.copyfile, old, self.path)
            pool.shutdown(wait=False)  # the thread ends once the copy is done

    def copied(self) -> bool:
        """Wait for the copy; whether there is one (an error copying is raised here)."""
        if self._copy is None:
            return False
        self._copy.result()
        return True

    def discard(self) -> None:
        """Wait for the copy, whatever became of it, and remove it."""
        if self._copy is not None:
            wait([self._copy])
        self.path.unlink(missing_ok=True)


def write_database(
    folder: Path, spill: IndexSpill, previous: Path | None = None, *, base: Base | None = None
) -> Path:
    """Create `folder/archive.duckdb` from the Parquet files in `folder`, the search index's
    share of the parse in `spill` and the views of `sql/`.

    With `previous`, a package folder whose database was built by the same code from the data
    its descriptor describes, that database is copied and updated instead (much quicker when
    a few articles changed); `base` is that copy when it was started earlier. Written beside the
    target and renamed over it, so a reader never meets a half-written file.
    """
    final = folder / DATABASE
    base = base if base is not None else Base(folder, previous)
    path, version = base.path, base.version
    try:
        reused = base.copied()
    except BaseException:
        base.discard()
        raise
    con = _open(path)
    try:
        updated = reused and _update(con, folder, spill)
        if not updated:
            con.close()
            path.unlink(missing_ok=True)
            con = _open(path)
            _create(con, folder, spill)
        # No PRIMARY KEY: DuckDB 1.0 cannot read the index DuckDB 2.0 writes for one, even in v1.0.0.
        con.execute("CREATE OR REPLACE TABLE package.build_info (key VARCHAR, value VARCHAR)")
        info = {**_info(version, folder), "mode": "updated" if updated else "created"}
        con.executemany("INSERT INTO package.build_info VALUES (?, ?)", list(info.items()))
        con.execute(
            "COMMENT ON TABLE package.build_info IS 'How this database was built: the code version, "
            "the hashes of the Parquet files it holds (lets the next build update it in place) and "
            "whether it was created anew or updated from the previous package''s database.'"
        )
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
    con.execute(f"SET TimeZone = {_lit(TIME_ZONE)}")  # show times as the sources wrote them
    con.execute("SET enable_progress_bar = false")  # results on stdout stay clean for pipes
    return con


def search_hits(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[dict[str, object]]:
    """The best `limit` hits of the SQL macro `search(query)`, as dicts of its columns."""
    cursor = con.execute("SELECT * FROM search(?, top := ?)", [query, limit])
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def shell_command(folder: Path) -> list[str]:
    """The command that opens the DuckDB shell on a package's database, read-only: the `duckdb`
    command line installed beside this Python (the locked `duckdb-cli`), else the one on PATH."""
    path = Path(folder).resolve() / DATABASE
    if not path.is_file():
        raise FileNotFoundError(f"no {DATABASE} in {folder}: build the package first (archive-etl build)")
    beside = Path(sys.executable).with_name("duckdb")
    exe = str(beside) if os.access(beside, os.X_OK) else shutil.which("duckdb")
    if exe is None:
        raise FileNotFoundError(
            "no duckdb command line: `make venv` installs it from the lock (pip install duckdb-cli)"
        )
    # Times shown as the sources wrote them, as `connect` does.
    return [exe, "-readonly", "-cmd", f"SET TimeZone = {_lit(TIME_ZONE)}", str(path)]
