"""Shared fixtures: the seeds, their tables and a built package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from archive_etl.build import BuildResult, build
from archive_etl.build.tables import Tables, build_tables
from archive_etl.read.sources import read_sources, scan

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# The seeds' golden counts, in one place: per file (paragraphs, metrics), in the order a build
# writes the articles (bucket by bucket: the first hex digit of article_id), and in all.
SEED_COUNTS = {
    "000_2fba84feb8337456.txt": (30, 11),
    "003_249a505a986ba66b.txt": (25, 69),
    "002_befabda29600e3a9.txt": (25, 12),
    "001_3463dee34ea6dac8.txt": (14, 9),
    "004_675321a0dc8d7980.txt": (10, 7),
}
# The package's resources, in the descriptor's order.
RESOURCE_NAMES = ("source_file", "article", "paragraph", "metric", "person", "document_ref")
SEED_ROWS = {
    "source_file": 5,
    "article": 5,
    "paragraph": 104,
    "metric": 108,
    "person": 21,
    "document_ref": 45,
}
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
    "person",
    "document_ref",
    "datapackage",
    "archive_duckdb",
}
CHECK_COUNT = 18

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
def shared_tmp() -> Iterator[Path]:
    """A temporary folder other users of this machine can reach (pytest's are root's alone):
    Postgres runs as its own user and keeps its data here."""
    with tempfile.TemporaryDirectory(prefix="archive-etl-") as folder:
        os.chmod(folder, 0o755)
        yield Path(folder)


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


def one_paragraph(text: str, kind: str = "body") -> pl.DataFrame:
    """A classified paragraph of one article, as the extractors take paragraphs."""
    return pl.DataFrame(
        {"article_id": ["0" * 16], "paragraph_no": [1], "kind": [kind], "text": [text]},
        schema={"article_id": pl.String, "paragraph_no": pl.Int64, "kind": pl.String, "text": pl.String},
    )
