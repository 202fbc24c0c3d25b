"""The descriptor describes itself completely; versions follow what changed; the dictionary explains it."""

from __future__ import annotations

import re
from pathlib import Path

import frictionless
import pytest

from archive_etl.build import BuildResult, build
from archive_etl.package.descriptor import SEMVER, SIZE, next_version, read_descriptor
from archive_etl.schema import TABLES
from conftest import SEED_ROWS


def test_descriptor_has_every_package_property(built: BuildResult) -> None:
    d = read_descriptor(built.output)
    for key in (
        "$schema",
        "name",
        "id",
        "title",
        "description",
        "version",
        "created",
        "licenses",
        "sources",
        "contributors",
        "keywords",
    ):
        assert d[key], key
    assert re.match(SEMVER, d["version"])
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", d["created"])
    assert d["id"].startswith("urn:uuid:")
    assert d["sources"] == [{"title": "5 raw article files from the folder 'seeds'"}]
    assert all("roles" in c for c in d["contributors"])


def test_every_resource_and_field_is_described_typed_and_constrained(built: BuildResult) -> None:
    for r in read_descriptor(built.output)["resources"]:
        for key in ("path", "format", "mediatype", "encoding", SIZE, "hash", "description", "schema"):
            assert r[key], (r["name"], key)
        assert r["hash"].startswith("sha256:")
        for f in r["schema"]["fields"]:
            assert (
                f["type"] in {"string", "integer", "number", "datetime", "date", "list"} and f["description"]
            )
    by_name = {r["name"]: r["schema"] for r in read_descriptor(built.output)["resources"]}
    kinds = next(f for f in by_name["paragraph"]["fields"] if f["name"] == "kind")
    assert kinds["constraints"]["enum"][:2] == ["header", "category"]
    ids = next(f for f in by_name["article"]["fields"] if f["name"] == "article_id")
    assert ids["constraints"] == {"required": True, "unique": True, "pattern": "^[0-9a-f]{16}$"}


def test_frictionless_reads_the_descriptor_as_valid_v2(built: BuildResult) -> None:
    report = frictionless.Package.validate_descriptor(read_descriptor(built.output))
    assert report.valid, report.flatten(["message"])


def test_frictionless_validates_the_seeds_package(built: BuildResult) -> None:
    """The reference check, with no options: every row of every table, keys included."""
    report = frictionless.validate(str(built.output / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]
    assert [task.stats["rows"] for task in report.tasks] == list(SEED_ROWS.values())


@pytest.mark.parametrize(
    ("previous", "schemas", "hashes", "grew", "expected"),
    [
        (None, {"a": 1}, {"a": "h"}, False, "1.0.0"),
        (
            {"version": "1.2.3", "resources": [{"name": "a", "schema": 1, "hash": "h"}]},
            {"a": 1},
            {"a": "h"},
            False,
            "1.2.3",
        ),
        (
            {"version": "1.2.3", "resources": [{"name": "a", "schema": 1, "hash": "h"}]},
            {"a": 2},
            {"a": "h"},
            False,
            "2.0.0",
        ),
        (
            {"version": "1.2.3", "resources": [{"name": "a", "schema": 1, "hash": "h"}]},
            {"a": 1},
            {"a": "k"},
            True,
            "1.3.0",
        ),
        (
            {"version": "1.2.3", "resources": [{"name": "a", "schema": 1, "hash": "h"}]},
            {"a": 1},
            {"a": "k"},
            False,
            "1.2.4",
        ),
        (
            {"version": "1.2.3", "resources": [{"name": "a", "schema": {"description": "x"}, "hash": "h"}]},
            {"a": {"description": "y"}},
            {"a": "h"},
            False,
            "1.2.4",
        ),
    ],
    ids=["first", "same data", "schema change", "more data", "correction", "description reworded"],
)
def test_version_rules(previous, schemas, hashes, grew, expected) -> None:
    assert next_version(previous, schemas, hashes, data_only_grew=grew) == expected


def test_rebuilds_bump_the_version_by_what_changed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert read_descriptor(build(corpus, out).output)["version"] == "1.0.0"
    assert read_descriptor(build(corpus, out).output)["version"] == "1.0.0"
    (corpus / "new.txt").write_text("Tin mới\n\nCó 5 người dự.", encoding="utf-8")
    assert read_descriptor(build(corpus, out).output)["version"] == "1.1.0"
    (corpus / "new.txt").write_text("Tin mới\n\nCó 6 người dự.", encoding="utf-8")
    assert read_descriptor(build(corpus, out).output)["version"] == "1.1.1"


def test_data_dictionary_explains_every_table_and_column(built: BuildResult) -> None:
    text = (built.output / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        assert f"## {table.name}" in text
        assert f"| `{table.name}` | `{table.path}` |" in text
        for field in table.fields:
            assert f"| `{field.name}` | {field.type} |" in text
            assert field.description.replace("|", "\\|") in text
    assert "| `paragraph` | `paragraph.parquet` | 104 |" in text
    assert "Foreign key: (article_id, paragraph_no) → `paragraph` (article_id, paragraph_no)." in text


def test_data_dictionary_says_where_fixity_lives_and_how_to_check_it(built: BuildResult) -> None:
    text = (built.output / "README.md").read_text(encoding="utf-8")
    fixity = text[text.index("## Fixity") : text.index("## source_file")]
    for words in (f"`{SIZE}`", "`hash`", "`SHA256SUMS`", "sha256sum -c SHA256SUMS", "archive-etl validate"):
        assert words in fixity, words
    assert "manifest-sha256.txt" in fixity and "bagit.py --validate vn-news-archive-1.0.0" in fixity
