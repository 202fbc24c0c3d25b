"""`archive-etl publish`: a validated package as a BagIt bag (and a zip of it) any archive can check.

The `bagit` library (the Library of Congress implementation) writes the bag: payload under
`data/`, sha256 and sha512 manifests, `bag-info.txt` with Payload-Oxum and Bagging-Date.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import bagit

from archive_etl.archive.validate import Report, validate_package
from archive_etl.package.descriptor import read_descriptor

CHECKSUMS = ["sha256", "sha512"]


class InvalidPackageError(ValueError):
    """Raised when asked to publish a package that does not validate."""

    def __init__(self, report: Report) -> None:
        super().__init__(
            f"{report.package} is not a valid package ({len(report.problems)} error(s)); not published"
        )
        self.report = report


@dataclass(frozen=True)
class Publication:
    bag: Path
    zip: Path
    identifier: str


def publish(package: Path, output: Path, *, organization: str = "archive-etl") -> Publication:
    """Validate `package`, then write `<output>/<name>-<version>/` as a bag and zip it beside."""
    report = validate_package(package)
    if not report.valid:
        raise InvalidPackageError(report)
    descriptor = read_descriptor(package)
    assert descriptor is not None  # validated above
    name = f"{descriptor['name']}-{descriptor['version']}"
    identifier = f"{descriptor['id']} {descriptor['version']}"
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=output))
    try:
        payload = staging / name
        shutil.copytree(package, payload, ignore=shutil.ignore_patterns(".*"))
        bagit.make_bag(
            str(payload),
            {
                "Source-Organization": organization,
                "External-Identifier": identifier,
                "External-Description": descriptor.get("title", name),
                "Bag-Group-Identifier": descriptor["id"],
            },
            checksums=CHECKSUMS,
        )
        archive = shutil.make_archive(str(staging / name), "zip", root_dir=staging, base_dir=name)
        bag, zipped = output / name, output / f"{name}.zip"
        if bag.exists():
            shutil.rmtree(bag)
        payload.rename(bag)
        Path(archive).replace(zipped)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Publication(bag, zipped, identifier)
