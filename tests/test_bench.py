"""The bench's floors run on the seeds (their figures are measured by `make bench`, not here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEEDS


def floor(what: str, path: Path) -> list[float]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "floors.py"), what, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(x) for x in out.stdout.split()]


def test_the_read_floor_and_the_output_floor_run(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(ROOT / "datapackage", package)
    (read,) = floor("read", SEEDS)
    parquet, database = floor("output", package)
    assert read > 0 and parquet > 0 and database > 0
    # The output floor writes in a scratch folder beside the package and removes it.
    assert [p.name for p in tmp_path.iterdir()] == ["package"]
