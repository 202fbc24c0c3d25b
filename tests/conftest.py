"""Shared fixtures: the seeds, their tables and a built package."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from archive_etl.build import BuildResult, build
from archive_etl.sources import read_sources, scan
from archive_etl.tables import Tables, build_tables

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


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
