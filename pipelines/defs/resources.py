"""Paths and options for the assets: set them in the launchpad, or leave the defaults."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from archive_etl.build.pipeline import Workspace
from archive_etl.database.storage import STORAGE_VERSION, STORAGE_VERSIONS
from archive_etl.resources import REPO_ROOT


class ArchivePaths(ConfigurableResource):
    """Where raw files are read from, where the package is written, where stages keep their work."""

    input_dir: str = Field(default=str(REPO_ROOT / "seeds"), description="The folder of raw files.")
    # Not the tracked datapackage/: `make run` builds that one (with the seeds' commit time as the
    # descriptor's `created`), and a run here must not leave `git status` dirty.
    output_dir: str = Field(
        default=str(REPO_ROOT / "build" / "datapackage"), description="The package folder to write."
    )
    cache_dir: str = Field(
        default=str(REPO_ROOT / ".cache" / "parse"),
        description="The parse cache and source index: parse steps write it, the package step reads it.",
    )
    work_dir: str = Field(
        default=str(REPO_ROOT / ".cache" / "work"),
        description="The workspace where one stage leaves what the next reads (sources, texts).",
    )
    wait_seconds: float = Field(
        default=0.0, description="How long to wait for another build of the same package folder.", ge=0
    )
    storage_version: str = Field(
        default=STORAGE_VERSION,
        description=f"DuckDB storage version of archive.duckdb, one of {', '.join(STORAGE_VERSIONS)}: "
        "v1.0.0 for clients older than DuckDB 1.2.",
    )

    @property
    def input_path(self) -> Path:
        return Path(self.input_dir)

    @property
    def output_path(self) -> Path:
        return Path(self.output_dir).resolve()

    @property
    def cache_path(self) -> Path:
        return Path(self.cache_dir)

    @property
    def workspace(self) -> Workspace:
        path = Path(self.work_dir)
        path.mkdir(parents=True, exist_ok=True)
        return Workspace(path)
