"""The DuckDB storage versions `archive.duckdb` can be written in: which clients open it.

Light on purpose (no DuckDB import): the command line's `--storage-version` choices come from here.
"""

from __future__ import annotations

# The oldest storage format that compresses (zstd came with v1.2.0), so any DuckDB from 1.2
# (February 2025) opens the file: DBeaver's driver, R, older Python environments, the pip
# `duckdb-cli`. `archive-etl build --storage-version v1.0.0` writes for older clients (every
# view, macro and comment works there too), at several times the size. What each client opened
# is in the README ("For analysts"), tried with each version.
STORAGE_VERSION = "v1.2.0"
# The storage versions a build may be asked for: v1.0.0 is the oldest in which every view,
# macro and comment works; v2.0.0 files open in DuckDB 2.0 and later only.
STORAGE_VERSIONS = ("v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v2.0.0")


def check_storage_version(storage: str) -> str:
    """`storage` if a build can write it (one of STORAGE_VERSIONS), else ValueError."""
    if storage not in STORAGE_VERSIONS:
        raise ValueError(f"storage version {storage!r} is not one of {', '.join(STORAGE_VERSIONS)}")
    return storage


def compresses(storage: str) -> bool:
    """Whether the storage version has zstd (v1.2.0 and later)."""
    return tuple(int(n) for n in storage.lstrip("v").split(".")) >= (1, 2, 0)
