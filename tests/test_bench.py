"""The bench's floors run on the seeds (their figures are measured by `make bench`, not here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from archive_etl.build import build
from conftest import ROOT, SEEDS

_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
assert _spec is not None and _spec.loader is not None
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)


def test_the_read_floor_and_the_output_floor_run(tmp_path: Path) -> None:
    # A package built here: the output floor copies its database's search tables too, and a
    # fresh clone's datapackage/ has no database until `make run`.
    package = build(SEEDS, tmp_path / "package").output
    (read,) = bench_run.floor("read", SEEDS)
    parquet, database = bench_run.floor("output", package)
    assert read > 0 and parquet > 0 and database > 0
    # The output floor writes in a scratch folder beside the package and removes it.
    assert [p.name for p in tmp_path.iterdir()] == ["package"]
