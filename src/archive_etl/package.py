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
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from archive_etl.database import write_database
from archive_etl.descriptor import (
    FileFacts,
    PackageInfo,
    created_timestamp,
    next_version,
    package_descriptor,
)
from archive_etl.dictionary import data_dictionary
from archive_etl.schema import ARTICLE, Table

DESCRIPTOR = "datapackage.json"
DICTIONARY = "README.md"


def write_parquet(table: Table, df: pl.DataFrame, path: Path) -> None:
    """Write one table as zstd Parquet with the schema's Arrow types and descriptions.

    Fixed row groups and no wall-clock metadata keep the bytes a pure function of the data, so
    a rebuild from the same inputs is byte-identical.
    """
    arrow = table.conform(df).to_arrow().cast(table.arrow_schema())
    pq.write_table(arrow, path, compression="zstd", row_group_size=128 * 1024)


def file_fixity(path: Path) -> FileFacts:
    """Size in bytes and "sha256:<hex>" of a file, as the descriptor records them."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return FileFacts(path.stat().st_size, f"sha256:{digest.hexdigest()}")


def read_descriptor(folder: Path) -> dict[str, Any] | None:
    """The descriptor of the package in `folder`, or None if there is none or it is unreadable."""
    try:
        return json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _only_grew(previous: Path, articles: pl.DataFrame) -> bool:
    """True when every article of the previous package is still here and there are more."""
    try:
        before = pl.read_parquet(previous / ARTICLE.path, columns=["article_id"])["article_id"]
    except (OSError, pl.exceptions.PolarsError):
        return False
    return articles.height > before.len() and before.is_in(articles["article_id"].implode()).all()


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


def write_package(
    items: Iterable[tuple[Table, pl.DataFrame]],
    output: Path,
    *,
    info: PackageInfo | None = None,
    source_title: str = "raw article files",
    database: bool = True,
) -> dict[str, Any]:
    """Write all tables, the descriptor, the data dictionary and (unless `database` is false)
    archive.duckdb to `output`; return the descriptor."""
    info = info or PackageInfo()
    items = list(items)
    output = output.resolve()
    _check_replaceable(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        facts = []
        for table, df in items:
            write_parquet(table, df, staged / table.path)
            facts.append((table, file_fixity(staged / table.path)))
        frames = {t.name: df for t, df in items}
        version = next_version(
            read_descriptor(output),
            {t.name: t.frictionless() for t, _ in items},
            {t.name: f.hash for t, f in facts},
            data_only_grew=ARTICLE.name in frames and _only_grew(output, frames[ARTICLE.name]),
        )
        descriptor = package_descriptor(
            info, facts, version=version, created=created_timestamp(), source_title=source_title
        )
        write_json(staged / DESCRIPTOR, descriptor)
        counts = {t.name: df.height for t, df in items}
        (staged / DICTIONARY).write_text(data_dictionary(descriptor, counts), encoding="utf-8")
        if database:
            write_database(staged, [t for t, _ in items])
        staged.chmod(0o755)
        swap_in(staged, output)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return descriptor
