"""Paths and options for the assets, set in the UI's launchpad or by environment."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from archive_etl.build import REPO_ROOT


class ArchivePaths(ConfigurableResource):
    """Where raw files are read from and where the package is written."""

    input_dir: str = str(REPO_ROOT / "seeds")
    output_dir: str = str(REPO_ROOT / "datapackage")

    @property
    def input_path(self) -> Path:
        return Path(self.input_dir)

    @property
    def output_path(self) -> Path:
        return Path(self.output_dir)
