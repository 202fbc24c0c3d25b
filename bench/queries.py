"""What an analyst meets in a built package: each docs/queries.md query's median latency, and
the size of each table of `archive.duckdb` and of each Parquet file.

Usage: python bench/queries.py PACKAGE   (prints JSON: `queries` {title: median ms},
`database_mb` {table: MB}, `parquet_mb` {file: MB})
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from archive_etl.database.store import DATABASE, connect
from archive_etl.devtools.querydoc import questions
from archive_etl.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]


def median_ms(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = (), runs: int = 5
) -> float:
    """The median milliseconds of `runs` runs of `sql`, warm (run once first): how every query
    of the bench is timed."""
    con.execute(sql, params).fetchall()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def query_medians_ms(package: Path, runs: int = 5) -> dict[str, float]:
    """Each query's median of `runs` runs, warm (run once first), on one read-only connection."""
    con = connect(package)
    medians = {
        q.title: round(median_ms(con, q.sql, runs=runs), 1)
        for q in questions((ROOT / "docs" / "queries.md").read_text(encoding="utf-8"))
    }
    con.close()
    return medians


def table_mb(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Each table's share of the file's blocks: a block that holds segments of several tables
    (compressed storage packs small segments together) is split evenly between them."""
    tables = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE database_name = current_database()"
    ).fetchall()
    owners: dict[int, set[str]] = {}
    for (table,) in tables:
        # A long string's overflow blocks are listed apart from its segment's block.
        info = (
            "SELECT DISTINCT b FROM (SELECT unnest(list_prepend(block_id, additional_block_ids)) AS b "
            f"FROM pragma_storage_info('{table}')) WHERE b >= 0"
        )
        for (block,) in con.execute(info).fetchall():
            owners.setdefault(block, set()).add(table)
    [(block_size,)] = con.execute("SELECT block_size FROM pragma_database_size()").fetchall()
    shares = {table: 0.0 for (table,) in tables}
    for names in owners.values():
        for name in names:
            shares[name] += block_size / len(names)
    return {name: round(size / 1e6, 1) for name, size in sorted(shares.items(), key=lambda x: -x[1])}


def sizes(package: Path) -> dict[str, object]:
    with duckdb.connect(str(package / DATABASE), read_only=True) as con:
        tables = table_mb(con)
    return {
        "database_file_mb": round((package / DATABASE).stat().st_size / 1e6, 1),
        "database_mb": tables,
        "parquet_mb": {t.path: round((package / t.path).stat().st_size / 1e6, 1) for t in TABLES},
    }


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    print(json.dumps({"queries": query_medians_ms(folder), **sizes(folder)}, ensure_ascii=False, indent=1))
