"""Paths and options for the assets: set them in the launchpad, or leave the defaults."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from archive_etl.build import REPO_ROOT


class ArchivePaths(ConfigurableResource):
    """Where raw files are read from, where the package is written, where parses are cached."""

    input_dir: str = str(REPO_ROOT / "seeds")
    output_dir: str = str(REPO_ROOT / "datapackage")
    cache_dir: str = str(REPO_ROOT / ".cache" / "parse")

    @property
    def input_path(self) -> Path:
        return Path(self.input_dir)

    @property
    def output_path(self) -> Path:
        return Path(self.output_dir)

    @property
    def cache_path(self) -> Path:
        return Path(self.cache_dir)
