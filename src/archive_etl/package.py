"""Writing the package: Parquet per table, the Data Package descriptor, an atomic swap.

Everything is written into a temporary folder beside the target and swapped in only when
complete, so a reader sees the previous package or the new one, never a mix.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from archive_etl import __version__
from archive_etl.schema import Table

DESCRIPTOR = "datapackage.json"
PACKAGE_NAME = "vn-news-archive"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def write_parquet(table: Table, df: pl.DataFrame, path: Path) -> None:
    """Write one table as zstd Parquet with the schema's Arrow types and descriptions.

    One row group per 128k rows and no wall-clock metadata keep the bytes a pure function of
    the data, so a rebuild from the same inputs is byte-identical.
    """
    arrow = table.conform(df).to_arrow().cast(table.arrow_schema())
    pq.write_table(arrow, path, compression="zstd", row_group_size=128 * 1024)


def file_fixity(path: Path) -> tuple[int, str]:
    """Size in bytes and "sha256:<hex>" of a file, as the descriptor records them."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, f"sha256:{digest.hexdigest()}"


def created_timestamp() -> str:
    """RFC 3339 build time; `SOURCE_DATE_EPOCH` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def resource_descriptor(table: Table, folder: Path) -> dict[str, Any]:
    size, digest = file_fixity(folder / table.path)
    return {
        "name": table.name,
        "type": "table",
        "path": table.path,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "bytes": size,
        "hash": digest,
        "title": table.title,
        "description": table.description,
        "schema": table.frictionless(),
    }


def package_descriptor(tables: Iterable[Table], folder: Path) -> dict[str, Any]:
    """The Data Package (v2) descriptor of the Parquet files already written in `folder`."""
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": PACKAGE_NAME,
        "title": "Vietnamese government and Party news archive",
        "description": (
            "Articles from Vietnamese government and Party news sites, split into source files, "
            "articles, paragraphs and the metrics they state. Built by archive-etl."
        ),
        "version": __version__,
        "created": created_timestamp(),
        "resources": [resource_descriptor(t, folder) for t in tables],
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _check_replaceable(output: Path) -> None:
    if output.exists() and any(output.iterdir()) and not (output / DESCRIPTOR).exists():
        raise FileExistsError(
            f"{output} exists and is not a package (no {DESCRIPTOR}); refusing to replace it. "
            "Choose an empty or new folder for --output."
        )


def swap_in(staged: Path, output: Path) -> None:
    """Make `staged` the new `output`, atomically where the kernel allows."""
    if output.exists() and _exchange(staged, output):
        shutil.rmtree(staged)  # now holds the previous package
        return
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        output.rename(old)
        staged.rename(output)
        shutil.rmtree(old)
    else:
        staged.rename(output)


def write_package(items: Iterable[tuple[Table, pl.DataFrame]], output: Path) -> dict[str, Any]:
    """Write all tables and the descriptor to `output`; return the descriptor."""
    output = output.resolve()
    _check_replaceable(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        tables = []
        for table, df in items:
            write_parquet(table, df, staged / table.path)
            tables.append(table)
        descriptor = package_descriptor(tables, staged)
        write_json(staged / DESCRIPTOR, descriptor)
        staged.chmod(0o755)
        swap_in(staged, output)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return descriptor
