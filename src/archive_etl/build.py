"""The build: input folder to package folder. The one entry point the CLI and Dagster share."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from archive_etl.cache import CacheStats, parse_cached
from archive_etl.package import write_package
from archive_etl.sources import Entry, read_sources, scan
from archive_etl.tables import Tables, assemble, distinct_texts, parse_texts

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_input() -> Path:
    """`seeds/` of the working directory, else the seeds shipped in the wheel or the repository."""
    for candidate in (Path("seeds"), Path(__file__).parent / "seeds", REPO_ROOT / "seeds"):
        if candidate.is_dir():
            return candidate
    return Path("seeds")


def source_title(files: int, input_dir: Path) -> str:
    """The descriptor's `sources` entry: how many files, from which folder (by name only)."""
    return f"{files} raw article files from the folder '{input_dir.resolve().name}'"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for summaries and metadata."""

    tables: Tables
    output: Path
    seconds: float
    cache: CacheStats | None = None

    def count(self, status: str) -> int:
        return self.tables.source_file.filter(pl.col("status") == status).height

    @property
    def files(self) -> int:
        return self.tables.source_file.height

    @property
    def rejected(self) -> pl.DataFrame:
        return self.tables.source_file.filter(pl.col("status") == "rejected").select("source_file", "reason")


def build(
    input_dir: Path,
    output_dir: Path,
    *,
    on_scan: Callable[[list[Entry]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
) -> BuildResult:
    """Read every entry of `input_dir`, build the tables and write the package to `output_dir`.

    With `cache_dir`, texts parsed by an earlier build with the same parser are not parsed again.
    """
    started = time.perf_counter()
    if not input_dir.is_dir():
        raise NotADirectoryError(f"input folder {input_dir} does not exist or is not a folder")
    entries = scan(input_dir)
    if on_scan is not None:
        on_scan(entries)
    sources = read_sources(entries, progress)
    stats = None
    if cache_dir is None:
        parsed = parse_texts(distinct_texts(sources))
    else:
        parsed, stats = parse_cached(sources, cache_dir)
    tables = assemble(sources, parsed)
    write_package(tables.items(), output_dir, source_title=source_title(len(entries), input_dir))
    return BuildResult(tables, output_dir, time.perf_counter() - started, stats)
