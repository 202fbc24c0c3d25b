"""Shared fixtures: the seeds, their tables and a built package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from archive_etl.build import BuildResult, build
from archive_etl.sources import read_sources, scan
from archive_etl.tables import Tables, build_tables

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# A short article to add to a copy of the seeds: one new text, one new bucket.
NEW_ARTICLE = "Tin mới\n\nPhường có 1.200 hộ gia đình."

# The code location's assets and how many asset checks they have.
ASSET_NAMES = {
    "raw_files",
    "parsed_texts",
    "source_file",
    "article",
    "paragraph",
    "metric",
    "datapackage",
    "archive_duckdb",
}
CHECK_COUNT = 14

CLI = [sys.executable, "-m", "archive_etl"]


def run(*args: str, cwd: Path | None = None, timeout: float | None = 300) -> subprocess.CompletedProcess[str]:
    """Run `archive-etl` with `args` as a user would, capturing its output."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_tables() -> Tables:
    return build_tables(read_sources(scan(SEEDS)))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(SEEDS, tmp_path_factory.mktemp("pkg") / "datapackage")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the seeds to add awkward files to."""
    folder = tmp_path / "input"
    shutil.copytree(SEEDS, folder)
    return folder


def paragraphs_of_seed(tables: Tables, seed_prefix: str) -> pl.DataFrame:
    """The paragraphs of the seed whose file name starts with `seed_prefix` (e.g. '002')."""
    article_id = tables.article.filter(pl.col("source_file").str.starts_with(seed_prefix))[
        "article_id"
    ].item()
    return tables.paragraph.filter(pl.col("article_id") == article_id)
