"""The bench's floors run on the seeds (their figures are measured by `make bench`, not here)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from conftest import ROOT, SEEDS

_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
assert _spec is not None and _spec.loader is not None
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)


def test_the_read_floor_and_the_output_floor_run(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(ROOT / "datapackage", package)
    (read,) = bench_run.floor("read", SEEDS)
    parquet, database = bench_run.floor("output", package)
    assert read > 0 and parquet > 0 and database > 0
    # The output floor writes in a scratch folder beside the package and removes it.
    assert [p.name for p in tmp_path.iterdir()] == ["package"]
