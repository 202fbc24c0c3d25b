"""The Dagster code location loads and its asset builds the package through the library."""

from __future__ import annotations

import json
from pathlib import Path

from dagster import materialize
from pipelines.definitions import defs
from pipelines.defs.assets import datapackage
from pipelines.defs.resources import ArchivePaths

from conftest import SEEDS


def test_definitions_load() -> None:
    repo = defs.get_repository_def()
    assert {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()} == {"datapackage"}


def test_materialize_builds_the_package(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = materialize(
        [datapackage], resources={"paths": ArchivePaths(input_dir=str(SEEDS), output_dir=str(out))}
    )
    assert result.success
    metadata = result.asset_materializations_for_node("datapackage")[0].metadata
    assert metadata["articles"].value == 5
    assert metadata["paragraphs"].value == 104
    assert metadata["metrics"].value == 108
    assert len(json.loads((out / "datapackage.json").read_text())["resources"]) == 4
