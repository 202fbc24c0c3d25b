"""Primary and foreign keys, checked in DuckDB over Parquet: the one place they are checked.

`archive-etl validate` asks these queries of every table of a package; the Dagster key checks
ask the same of one table each (source_file in the workspace, before the package is written).
A table is a view with a `row_number` column (its rows in file order), so what is reported
points at rows an analyst can find.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from archive_etl.database.sqltext import identifier as _q
from archive_etl.database.sqltext import literal as _lit
from archive_etl.database.store import MEMORY_LIMIT

FIRST_ROWS = 5


@dataclass(frozen=True)
class KeyProblem:
    """Rows that break a key: what, how many, and the first of them."""

    type: str  # "primary-key" or "foreign-key"
    message: str
    count: int
    rows: list[dict[str, Any]]


def connect(spill: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the build's memory bound (the key checks of a 100,000-article
    package took 2 GB under DuckDB's default limit, 80 % of RAM), spilling to `spill`."""
    config = {"memory_limit": MEMORY_LIMIT, **({"temp_directory": str(spill)} if spill else {})}
    return duckdb.connect(config=config)


def table_view(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> str:
    """A view of a Parquet file with its rows numbered; its (quoted) name."""
    view = _q(f"r_{name}")
    rows = f"SELECT row_number() OVER () AS row_number, * FROM read_parquet({_lit(str(path))})"
    con.execute(f"CREATE VIEW {view} AS {rows}")
    return view


def first_rows(
    con: duckdb.DuckDBPyConnection, view: str, condition: str, columns: Iterable[str]
) -> list[dict[str, Any]]:
    """The first rows of `view` (in file order) for which `condition` holds."""
    cols = ", ".join(_q(c) for c in columns)
    sql = f"SELECT row_number, {cols} FROM {view} WHERE {condition} ORDER BY row_number LIMIT {FIRST_ROWS}"
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [
        {
            k: (v if isinstance(v, int | float | str | None) else str(v))
            for k, v in zip(names, row, strict=True)
        }
        for row in cursor.fetchall()
    ]


def primary_key_problems(con: duckdb.DuckDBPyConnection, view: str, keys: Sequence[str]) -> list[KeyProblem]:
    """Rows that repeat a primary key, and rows with a null in it."""
    key = ", ".join(_q(k) for k in keys)
    any_null = " OR ".join(f"{_q(k)} IS NULL" for k in keys)
    (repeated, nulls) = con.execute(
        f"SELECT count(*) - count(DISTINCT ({key})), count(*) FILTER (WHERE {any_null}) FROM {view}"
    ).fetchall()[0]
    problems = []
    if repeated:
        cond = f"({key}) IN (SELECT {key} FROM {view} GROUP BY {key} HAVING count(*) > 1)"
        message = f"{repeated} row(s) repeat a primary key ({key})"
        problems.append(KeyProblem("primary-key", message, repeated, first_rows(con, view, cond, keys)))
    if nulls:
        message = f"{nulls} row(s) have a null in the primary key"
        problems.append(KeyProblem("primary-key", message, nulls, first_rows(con, view, any_null, keys)))
    return problems


def foreign_key_problems(
    con: duckdb.DuckDBPyConnection,
    view: str,
    fields: Sequence[str],
    target: str,
    target_fields: Sequence[str],
    target_name: str,
) -> list[KeyProblem]:
    """Rows whose foreign key (`fields`, none null) matches no row of `target` (`target_fields`)."""
    on = " AND ".join(f"c.{_q(a)} = p.{_q(b)}" for a, b in zip(fields, target_fields, strict=True))
    present = " AND ".join(f"c.{_q(a)} IS NOT NULL" for a in fields)
    cond = f"{present} AND NOT EXISTS (SELECT 1 FROM {target} p WHERE {on})"
    n = con.execute(f"SELECT count(*) FROM {view} c WHERE {cond}").fetchall()[0][0]
    if not n:
        return []
    message = f"{n} row(s) of ({', '.join(fields)}) have no match in {target_name}"
    return [KeyProblem("foreign-key", message, n, first_rows(con, f"{view} c", cond, fields))]
