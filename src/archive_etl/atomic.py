"""Writing a file so that no reader ever meets half of it: write beside it, then rename over."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import polars as pl


def write_atomic(df: pl.DataFrame, path: Path, compression: str = "zstd") -> None:
    """Write Parquet beside `path` and rename it over."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    df.write_parquet(tmp, compression=compression)
    tmp.replace(path)
