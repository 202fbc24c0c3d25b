"""`archive-etl publish`: a BagIt bag any archive can check, and never of an invalid package."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import bagit
import pytest

from archive_etl.archive.publish import InvalidPackageError, publish
from archive_etl.build import BuildResult
from conftest import run


def test_publish_writes_a_valid_bag_with_both_manifests(built: BuildResult, tmp_path: Path) -> None:
    result = publish(built.output, tmp_path / "out", organization="Quận ủy Long Biên")
    bag = bagit.Bag(str(result.bag))
    bag.validate()  # recomputes every checksum
    assert set(bag.algorithms) == {"sha256", "sha512"}
    version = json.loads((built.output / "datapackage.json").read_text())["version"]
    assert result.bag.name == f"vn-news-archive-{version}"
    info = bag.info
    assert info["Source-Organization"] == "Quận ủy Long Biên"
    assert info["External-Identifier"].endswith(f" {version}")
    assert info["External-Identifier"].startswith("urn:uuid:")
    # 6 Parquet files, descriptor, SHA256SUMS, dictionary, database
    assert info["Payload-Oxum"].endswith(".10")
    assert "Bagging-Date" in info
    payload = sorted(p.name for p in (result.bag / "data").iterdir())
    assert payload == sorted(p.name for p in built.output.iterdir())


def test_the_zip_holds_the_bag(built: BuildResult, tmp_path: Path) -> None:
    result = publish(built.output, tmp_path / "out")
    with zipfile.ZipFile(result.zip) as z:
        names = z.namelist()
        z.extractall(tmp_path / "unzipped")
    assert f"{result.bag.name}/bagit.txt" in names
    bagit.Bag(str(tmp_path / "unzipped" / result.bag.name)).validate()


def test_an_invalid_package_is_refused(built: BuildResult, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(built.output, damaged)
    (damaged / "metric.parquet").unlink()
    with pytest.raises(InvalidPackageError, match="not a valid package"):
        publish(damaged, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    cli = run("publish", str(damaged), "--output", str(tmp_path / "out"))
    assert cli.returncode == 1
    assert "missing-file" in cli.stderr


def test_a_tampered_bag_fails_bagit_validation(built: BuildResult, tmp_path: Path) -> None:
    result = publish(built.output, tmp_path / "out")
    target = result.bag / "data" / "article.parquet"
    data = bytearray(target.read_bytes())
    data[100] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(result.bag)).validate()
