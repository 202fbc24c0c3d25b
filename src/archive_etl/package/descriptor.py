"""The Data Package (v2) descriptor: everything in it derives from the schema and the files.

Pure functions: the files' sizes and hashes, the previous descriptor and the build time are
passed in, so the descriptor of the same inputs is the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive_etl import __version__

if TYPE_CHECKING:  # the validator imports this module and must stay light (no Polars, no Arrow)
    from archive_etl.schema import Table

DESCRIPTOR = "datapackage.json"
# Every table file's SHA-256 in the format `sha256sum -c` reads, beside the descriptor.
MANIFEST = "SHA256SUMS"
# Each resource's size in bytes. Not the standard `bytes`: frictionless compares that with the
# bytes it counts while reading, and it reads Parquet through pandas and counts none, so the stock
# `frictionless validate` would fail every file. (`hash` stays where the standard puts it:
# frictionless skips it when it has computed no digest, as for Parquet.)
SIZE = "archive-etl:bytes"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
FIRST_VERSION = "1.0.0"
SEMVER = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"


@dataclass(frozen=True)
class PackageInfo:
    """The package's own metadata: who made it, under which terms, about what."""

    name: str = "vn-news-archive"
    title: str = "Vietnamese government and Party news archive"
    description: str = (
        "Articles from Vietnamese government and Party news sites, split into source files, "
        "articles, paragraphs and the metrics they state (counts, percentages, ratios), with every "
        "input file accounted for. Built by archive-etl."
    )
    licenses: tuple[Mapping[str, str], ...] = (
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 (the package's structure and extracted data; "
            "article texts remain under their publishers' terms)",
        },
    )
    keywords: tuple[str, ...] = (
        "Vietnam", "Vietnamese", "news", "government", "Communist Party of Vietnam", "Hà Nội",
        "statistics", "metrics", "text corpus",
    )  # fmt: skip
    contributors: tuple[Mapping[str, Any], ...] = field(
        default_factory=lambda: (
            {"title": "archive-etl", "roles": ["creator"], "path": "https://pypi.org/project/archive-etl/"},
        )
    )

    @property
    def id(self) -> str:
        """A stable identifier of the dataset (the same for every version)."""
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'archive-etl:{self.name}')}"


@dataclass(frozen=True)
class FileFacts:
    """What the descriptor records of one written file."""

    bytes: int
    hash: str  # "sha256:<hex>"


def file_fixity(path: Path) -> FileFacts:
    """Size in bytes and "sha256:<hex>" of a file, as the descriptor records them."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return FileFacts(path.stat().st_size, f"sha256:{digest.hexdigest()}")


def checksum_manifest(files: Iterable[tuple[str, FileFacts]]) -> str:
    """`SHA256SUMS`: a "<hex>  <path>" line per (path, facts), as `sha256sum` writes and checks."""
    return "".join(f"{facts.hash.removeprefix('sha256:')}  {path}\n" for path, facts in files)


def read_manifest(text: str) -> tuple[dict[str, str], list[str]]:
    """({path: hex digest}, the lines that are not "<64 hex>  <path>") of a `SHA256SUMS` text."""
    entries: dict[str, str] = {}
    bad: list[str] = []
    for line in text.splitlines():
        digest, sep, path = line.partition(" ")
        path = path[1:] if path[:1] in (" ", "*") else ""  # text or binary mode marker
        if sep and path and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            entries[path] = digest
        elif line.strip():
            bad.append(line)
    return entries, bad


def read_descriptor(folder: Path) -> dict[str, Any] | None:
    """The descriptor of the package in `folder`, or None if there is none or it is unreadable."""
    try:
        return json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def created_timestamp() -> str:
    """RFC 3339 build time; `SOURCE_DATE_EPOCH` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def schemas_of(descriptor: Mapping[str, Any]) -> dict[str, Any]:
    return {r["name"]: r.get("schema") for r in descriptor.get("resources", [])}


def _structure(schema: object) -> object:
    """A schema without its words (descriptions, titles): what a reader's code depends on."""
    if isinstance(schema, dict):
        return {k: _structure(v) for k, v in schema.items() if k not in ("description", "title")}
    if isinstance(schema, list):
        return [_structure(v) for v in schema]
    return schema


def next_version(
    previous: Mapping[str, Any] | None,
    schemas: Mapping[str, Any],
    hashes: Mapping[str, str],
    *,
    data_only_grew: bool,
) -> str:
    """Semantic version against the package being replaced.

    A change of the schema's structure (fields, types, constraints, keys) is major; more data
    (every previous article kept) is minor; any other change of the data, or of the schema's
    words alone (descriptions), is patch; the same data and schema keep the version.
    """
    if not previous or not isinstance(previous.get("version"), str):
        return FIRST_VERSION
    try:
        major, minor, patch = (int(p) for p in previous["version"].split("."))
    except ValueError:
        return FIRST_VERSION
    before, now = schemas_of(previous), dict(schemas)
    if _structure(before) != _structure(now):
        return f"{major + 1}.0.0"
    same_data = {r["name"]: r.get("hash") for r in previous.get("resources", [])} == dict(hashes)
    if same_data and before == now:
        return previous["version"]
    if data_only_grew:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def resource_descriptor(table: Table, facts: FileFacts) -> dict[str, Any]:
    return {
        "name": table.name,
        "type": "table",
        "path": table.path,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "encoding": "utf-8",
        "hash": facts.hash,
        SIZE: facts.bytes,
        "title": table.title,
        "description": table.description,
        "schema": table.frictionless(),
    }


def package_descriptor(
    info: PackageInfo,
    resources: Iterable[tuple[Table, FileFacts]],
    *,
    version: str,
    created: str,
    source_title: str,
) -> dict[str, Any]:
    """The whole descriptor, in a fixed key order."""
    return {
        "$schema": PROFILE,
        "name": info.name,
        "id": info.id,
        "title": info.title,
        "description": info.description,
        "version": version,
        "created": created,
        "licenses": [dict(lic) for lic in info.licenses],
        "sources": [{"title": source_title}],
        "contributors": [
            {**dict(c), "title": f"{c['title']} {__version__}"} if c["title"] == "archive-etl" else dict(c)
            for c in info.contributors
        ],
        "keywords": list(info.keywords),
        "resources": [resource_descriptor(t, f) for t, f in resources],
    }
