"""What any build of a corpus must pay, whatever its parser: the floors `make bench` compares the
build with. Each runs in a fresh process, timed inside it (start-up and imports excluded).

- read floor: read every file once, one Polars line split and one number regex over all lines;
- output floor: the finished tables of a built package (read into memory first, not timed)
  written to Parquet (zstd, as the build writes them) and copied into a fresh DuckDB file in the
  build's storage version and memory limit (`CREATE TABLE ... AS SELECT * FROM read_parquet`),
  with the search index's tables and the marts the database holds too (copied from memory, in
  their order).

Usage: python bench/floors.py read CORPUS | python bench/floors.py output PACKAGE
Prints the seconds (for `output`: Parquet seconds, then DuckDB seconds).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from archive_etl.database.index import SEARCH_TABLES
from archive_etl.database.store import DATABASE, MEMORY_LIMIT, STORAGE_VERSION
from archive_etl.schema import TABLES


def read_floor(folder: Path) -> float:
    start = time.perf_counter()
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    texts = [p.read_bytes().decode("utf-8", "replace") for p in files]
    lines = pl.DataFrame({"text": texts}).select(pl.col("text").str.split("\n")).explode("text")
    lines.select(pl.col("text").str.count_matches(r"[0-9][0-9.,/:\-–]*[0-9]|[0-9]").sum()).item()
    return time.perf_counter() - start


def output_floor(package: Path) -> tuple[float, float]:
    tables = {t.name: pl.read_parquet(package / t.path) for t in TABLES}
    with duckdb.connect(str(package / DATABASE), read_only=True) as built:
        index = {name: built.sql(f"SELECT * FROM package.{name}").pl() for name in SEARCH_TABLES}
        # The marts are outputs too: their rows, as the database holds them.
        marts = built.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
        index |= {name: built.sql(f"SELECT * FROM main.{name}").pl() for (name,) in marts}
    with tempfile.TemporaryDirectory(prefix=".floor-", dir=package.parent) as scratch:  # the same disk
        out = Path(scratch)
        start = time.perf_counter()
        for name, df in tables.items():
            df.write_parquet(out / f"{name}.parquet", compression="zstd")
        parquet = time.perf_counter() - start
        start = time.perf_counter()
        config = {"storage_compatibility_version": STORAGE_VERSION}
        con = duckdb.connect(str(out / "floor.duckdb"), config=config)
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        for name in tables:
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{out / name}.parquet')")
        for name, frame in index.items():
            con.register("frame_in", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame_in")
            con.unregister("frame_in")
        con.close()
        database = time.perf_counter() - start
    return parquet, database


if __name__ == "__main__":
    what, path = sys.argv[1], Path(sys.argv[2])
    if what == "read":
        print(read_floor(path))
    else:
        print(*output_floor(path))
