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
import re
import shutil
import sys
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

import duckdb

from archive_etl.database.index import IndexSpill, create_index, update_index
from archive_etl.database.sqltext import identifier
from archive_etl.database.sqltext import literal as _lit
from archive_etl.database.storage import STORAGE_VERSION, check_storage_version, compresses
from archive_etl.package.descriptor import read_descriptor
from archive_etl.resources import bundled, code_version
from archive_etl.schema import ARTICLE, TABLES, TIME_ZONE

DATABASE = "archive.duckdb"
# Columns declared `USING COMPRESSION zstd` where the storage has it, by table or mart: long
# text, which DuckDB would otherwise keep in dictionaries and FSST (paragraph.text at 10,000
# synthetic articles: 36.7 MB -> 5.8 MB). Not the short text columns (raw, unit, name, ...):
# zstd made those larger. Nor metric.sentence (a mart's copy of it at 100,000: 88 -> 20 MB): an
# ILIKE over it took twice as long.
ZSTD_COLUMNS = {"article": ("text",), "paragraph": ("text",)}
MEMORY_LIMIT = "512MB"
# An update in place is used while at most this share of the articles is new or changed.
UPDATE_SHARE = 0.25
# The base view of each table (`Table.view`), by table name.
BASE_VIEWS = {t.name: t.view for t in TABLES}


def sql_dir() -> Path:
    """The view definitions: shipped inside the wheel, or `sql/` of the repository."""
    return bundled("sql")


def _comment_from_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Comment the base views from the schema, then every uncommented column of a view or mart
    after the schema field, or else the commented column, of the same name (`ratios.sentence`
    is `metric_facts.sentence`)."""
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
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN ("
        "  SELECT schema_name, view_name AS name FROM duckdb_views() WHERE NOT internal"
        "  UNION ALL SELECT schema_name, table_name FROM duckdb_tables()) r "
        "ON c.table_name = r.name AND c.schema_name = r.schema_name "
        "WHERE c.schema_name = 'main' AND c.comment IS NULL ORDER BY c.table_oid, c.column_index"
    ).fetchall()
    for view, column in uncommented:
        if column in descriptions:
            con.execute(
                f"COMMENT ON COLUMN {identifier(view)}.{identifier(column)} IS {_lit(descriptions[column])}"
            )


# A mart of sql/: a table made at build time from the SELECT of its statement, which stays its
# one definition. Not a view copied into a table: an update in place must run the definition
# again, and a view kept for that would be a second name for every mart in the analysts' way.
_MART = re.compile(r"CREATE OR REPLACE TABLE (?P<name>\w+) AS\s+(?P<query>.+?);?\s*$", re.S)


def marts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, SELECT) of every mart of sql/, in the order the scripts make them."""
    found = []
    for script in sorted(sql_dir().glob("*.sql")):
        for statement in con.extract_statements(script.read_text(encoding="utf-8")):
            if m := _MART.match(statement.query.strip()):
                found.append((m["name"], m["query"]))
    return found


def _fill(con: duckdb.DuckDBPyConnection, name: str, query: str, where: str | None = None) -> None:
    """Insert into the mart `name` the rows of its SELECT that `where` keeps, in its order."""
    con.execute(
        f"INSERT INTO main.{identifier(name)} SELECT * FROM ({query})" + (f" WHERE {where}" if where else "")
    )


def _run_script(con: duckdb.DuckDBPyConnection, script: Path, storage: str) -> None:
    """Run a script of sql/ statement by statement, a mart as an empty table of its SELECT's
    columns (ZSTD_COLUMNS compressed) filled by it."""
    for statement in con.extract_statements(script.read_text(encoding="utf-8")):
        mart = _MART.match(statement.query.strip())
        if mart is None:
            con.execute(statement)
            continue
        _empty_table(con, f"main.{identifier(mart['name'])}", mart["name"], mart["query"], storage)
        _fill(con, mart["name"], mart["query"])


def _refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Bring every mart up to the updated tables (temp tables `stale` and `fresh` name the
    articles gone and new), in the scripts' order since a mart may read an earlier one. A mart
    with an article_id column holds rows of one article each: the stale articles' rows go and
    the fresh ones' are made. Any other aggregates across articles and is made again whole, as a
    fresh build makes it."""
    # The fresh ids as constants: DuckDB pushes such a filter through a mart's joins and GROUP BY
    # to the tables' scans (their article_id zonemaps), not an IN (SELECT ...), which it applies
    # to the mart's every row made (100k articles, one fresh: a mart of articles' text 6.9 s ->
    # 0.01 s).
    ids = [_lit(i) for (i,) in con.execute("SELECT article_id FROM fresh ORDER BY article_id").fetchall()]
    for name, query in marts(con):
        table = f"main.{identifier(name)}"
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        if "article_id" in columns:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM stale)")
            if ids:
                _fill(con, name, query, f"article_id IN ({', '.join(ids)})")
        else:
            con.execute(f"DELETE FROM {table}")
            _fill(con, name, query)


def database_version() -> str:
    """What the database holds besides the data: parser, schema, views and this module's code."""
    digest = hashlib.sha256(code_version("parse", "schema").encode())
    digest.update(json.dumps([t.frictionless() for t in TABLES], sort_keys=True).encode())
    for script in sorted(sql_dir().glob("*.sql")):
        digest.update(script.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _info(version: str, storage: str, folder: Path) -> dict[str, str]:
    """The build info of a database in storage version `storage` holding the data of the
    package in `folder`."""
    descriptor = read_descriptor(folder) or {}
    hashes = {str(r.get("name")): str(r.get("hash")) for r in descriptor.get("resources", [])}
    return {"version": version, "storage": storage, "hashes": json.dumps(hashes, sort_keys=True)}


def _open(path: Path, storage: str = STORAGE_VERSION) -> duckdb.DuckDBPyConnection:
    # A new file is written in `storage`; an existing one keeps the version it was written in.
    con = duckdb.connect(str(path), config={"storage_compatibility_version": storage})
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


def _reusable(previous: Path | None, version: str, storage: str) -> Path | None:
    """The previous package's database, if this code built it in storage version `storage`
    from the data that package holds. DuckDB keeps a file's own storage version when it
    updates it, so a file in another version is never reused: it is built anew."""
    if previous is None or not (previous / DATABASE).is_file():
        return None
    with duckdb.connect(str(previous / DATABASE), read_only=True) as con:
        info = _build_info(con)
    return previous / DATABASE if info == _info(version, storage, previous) else None


def _copy_tables(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Every table's rows from its Parquet file, in order, into its empty table."""
    for table in TABLES:
        parquet = _lit(str(folder / table.path))
        con.execute(f"INSERT INTO package.{table.name} SELECT * FROM read_parquet({parquet})")


def _empty_table(con: duckdb.DuckDBPyConnection, table: str, name: str, query: str, storage: str) -> None:
    """`table` (created or replaced) with the columns of `query`, those of ZSTD_COLUMNS[name]
    in zstd where the storage has it."""
    zstd = ZSTD_COLUMNS.get(name, ()) if compresses(storage) else ()
    columns = con.execute(f"DESCRIBE {query}").fetchall()
    defs = ", ".join(
        f"{identifier(column)} {kind}" + (" USING COMPRESSION zstd" if column in zstd else "")
        for column, kind, *_ in columns
    )
    con.execute(f"CREATE OR REPLACE TABLE {table} ({defs})")


def _create(con: duckdb.DuckDBPyConnection, folder: Path, spill: IndexSpill, storage: str) -> None:
    """Every table from the package's Parquet files, the search index, the views and comments."""
    con.execute("CREATE SCHEMA package")
    for table in TABLES:
        parquet = f"SELECT * FROM read_parquet({_lit(str(folder / table.path))})"
        _empty_table(con, f"package.{table.name}", table.name, parquet, storage)
    # The tables are copied in on a second connection while the search index is made on this
    # one (from the parse's share in the spill): the copy is DuckDB's work and the index mostly
    # Polars', and neither keeps two cores busy alone.
    # On one DuckDB thread: an insert on several writes row groups apart and merges them at the
    # end, leaving their first blocks free in the file (146 MB of metric's 300 at 100,000
    # articles); and the index keeps the other core.
    con.execute("SET threads = 1")
    copier = con.cursor()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="database-tables") as pool:
            copied = pool.submit(_copy_tables, copier, folder)
            create_index(con, spill, folder)
            copied.result()
    finally:
        copier.close()
        con.execute("RESET threads")
    for script in sorted(sql_dir().glob("*.sql")):
        _run_script(con, script, storage)
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
    _refresh_marts(con)
    fresh = {a for (a,) in con.execute("SELECT article_id FROM fresh").fetchall()}
    update_index(con, spill, fresh)
    return True


class Base:
    """The database a build starts from: a copy of the previous package's database, when this
    code built it from the data that package holds, made beside the new one on a thread of its
    own. Started before the tables are written, the copy (2.6 GB at 100,000 articles, 1.6-3.6 s)
    overlaps with writing them instead of coming after."""

    def __init__(self, folder: Path, previous: Path | None, storage: str = STORAGE_VERSION) -> None:
        self.path = folder / f".{DATABASE}.{os.getpid()}.tmp"
        self.path.unlink(missing_ok=True)
        self.version = database_version()
        self.storage = check_storage_version(storage)
        self._copy: Future[object] | None = None
        old = _reusable(previous, self.version, self.storage)
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
    folder: Path,
    spill: IndexSpill,
    previous: Path | None = None,
    *,
    base: Base | None = None,
    storage_version: str = STORAGE_VERSION,
) -> Path:
    """Create `folder/archive.duckdb` in `storage_version` from the Parquet files in `folder`,
    the search index's share of the parse in `spill` and the views of `sql/`.

    With `previous`, a package folder whose database was built by the same code in the same
    storage version from the data its descriptor describes, that database is copied and updated
    instead (much quicker when a few articles changed); `base` is that copy when it was started
    earlier, and its storage version is the one written. Written beside the target and renamed
    over it, so a reader never meets a half-written file.
    """
    final = folder / DATABASE
    base = base if base is not None else Base(folder, previous, storage_version)
    path, version, storage = base.path, base.version, base.storage
    try:
        reused = base.copied()
    except BaseException:
        base.discard()
        raise
    con = _open(path, storage)
    try:
        updated = reused and _update(con, folder, spill)
        if not updated:
            con.close()
            path.unlink(missing_ok=True)
            con = _open(path, storage)
            _create(con, folder, spill, storage)
        # No PRIMARY KEY: DuckDB 1.0 cannot read the index DuckDB 2.0 writes for one, even in v1.0.0.
        con.execute("CREATE OR REPLACE TABLE package.build_info (key VARCHAR, value VARCHAR)")
        info = {**_info(version, storage, folder), "mode": "updated" if updated else "created"}
        con.executemany("INSERT INTO package.build_info VALUES (?, ?)", list(info.items()))
        con.execute(
            "COMMENT ON TABLE package.build_info IS 'How this database was built: the code version, "
            "the storage version, the hashes of the Parquet files it holds (lets the next build "
            "update it in place) and whether it was created anew or updated from the previous "
            "package''s database.'"
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
