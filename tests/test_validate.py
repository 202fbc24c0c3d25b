"""`archive-etl validate` fails every kind of damage, and agrees with frictionless where both judge."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from archive_etl.build import BuildResult
from archive_etl.descriptor import file_fixity
from archive_etl.validate import validate_package
from conftest import run

# frictionless cannot compute the size or hash of a Parquet file (it reads it through pandas),
# so those two checks are ours alone.
FRICTIONLESS_SKIPS = ["byte-count", "hash-count"]


def frictionless_valid(folder: Path) -> bool:
    return frictionless.validate(str(folder / "datapackage.json"), skip_errors=FRICTIONLESS_SKIPS).valid


def load(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text())


def save(folder: Path, descriptor: dict) -> None:
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2))


def reseal(folder: Path, name: str) -> None:
    """Record a rewritten file's true bytes and hash, so that only the damage inside shows."""
    d = load(folder)
    for r in d["resources"]:
        if r["name"] == name:
            facts = file_fixity(folder / r["path"])
            r["bytes"], r["hash"] = facts.bytes, facts.hash
    save(folder, d)


def rewrite(folder: Path, name: str, change: Callable[[pa.Table], pa.Table]) -> None:
    path = folder / f"{name}.parquet"
    table = pq.read_table(path)
    pq.write_table(change(table), path, compression="zstd")
    reseal(folder, name)


def set_cell(
    table: pa.Table, column: str, row: int, value: object, type_: pa.DataType | None = None
) -> pa.Table:
    values = table[column].to_pylist()
    if type_ == pa.string():
        values = [None if v is None else str(v) for v in values]
    values[row] = value
    i = table.schema.get_field_index(column)
    field = table.schema.field(i)
    new_type = type_ or field.type
    return table.set_column(
        i, pa.field(column, new_type, metadata=field.metadata), pa.array(values, new_type)
    )


def flip_byte(folder: Path) -> None:
    path = folder / "paragraph.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(folder: Path) -> None:
    path = folder / "metric.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def wrong_bytes(folder: Path) -> None:
    d = load(folder)
    d["resources"][0]["bytes"] += 1
    save(folder, d)


def bad_version(folder: Path) -> None:
    d = load(folder)
    d["version"] = "version one"
    save(folder, d)


def no_resources(folder: Path) -> None:
    d = load(folder)
    d["resources"] = []
    save(folder, d)


def duplicate_row(table: pa.Table) -> pa.Table:
    return pa.concat_tables([table, table.slice(0, 1)])


# (name, damage, error type our validator must report, whether frictionless judges it too)
DAMAGES: list[tuple[str, Callable[[Path], None], str, bool]] = [
    ("flipped byte", flip_byte, "hash-count", False),
    ("missing file", lambda f: (f / "metric.parquet").unlink(), "missing-file", True),
    ("truncated file", truncate, "source-error", True),
    ("wrong bytes", wrong_bytes, "byte-count", False),
    (
        "wrong type",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "view_count", 0, "many", pa.string())),
        "type-error",
        True,
    ),
    (
        "null in required field",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "title", 1, None)),
        "constraint-error",
        True,
    ),
    ("duplicate primary key", lambda f: rewrite(f, "paragraph", duplicate_row), "primary-key", True),
    (
        "dangling foreign key",
        lambda f: rewrite(f, "metric", lambda t: set_cell(t, "paragraph_no", 0, 999)),
        "foreign-key",
        True,
    ),
    (
        "value outside enum",
        lambda f: rewrite(f, "paragraph", lambda t: set_cell(t, "kind", 3, "headline")),
        "constraint-error",
        True,
    ),
    (
        "bad pattern",
        lambda f: rewrite(f, "source_file", lambda t: set_cell(t, "sha256", 2, "not-a-hash")),
        "constraint-error",
        True,
    ),
    (
        "below minimum",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "view_count", 0, -5)),
        "constraint-error",
        True,
    ),
    (
        "duplicate in unique column",
        lambda f: rewrite(f, "article", lambda t: set_cell(t, "source_file", 1, t["source_file"][0].as_py())),
        "unique-error",
        True,
    ),
    (
        "extra column",
        lambda f: rewrite(f, "source_file", lambda t: t.append_column("extra", pa.array([1] * t.num_rows))),
        "extra-label",
        True,
    ),
    (
        "missing column",
        lambda f: rewrite(f, "metric", lambda t: t.drop_columns(["subject"])),
        "missing-label",
        True,
    ),
    ("bad version", bad_version, "descriptor-error", False),
    # frictionless accepts a package without resources; the v2 profile requires at least one.
    ("no resources", no_resources, "descriptor-error", False),
]


@pytest.fixture
def package(built: BuildResult, tmp_path: Path) -> Path:
    copy = tmp_path / "package"
    shutil.copytree(built.output, copy)
    return copy


def test_the_built_package_is_valid_for_both_validators(built: BuildResult) -> None:
    report = validate_package(built.output)
    assert report.valid, report.problems
    assert report.rows == {"source_file": 5, "article": 5, "paragraph": 104, "metric": 108}
    assert frictionless_valid(built.output)


@pytest.mark.parametrize(("name", "damage", "error", "judged"), DAMAGES, ids=[d[0] for d in DAMAGES])
def test_damage_is_caught(
    package: Path, name: str, damage: Callable[[Path], None], error: str, judged: bool
) -> None:
    damage(package)
    report = validate_package(package)
    assert not report.valid
    assert error in {p.type for p in report.problems}, [(p.type, p.message) for p in report.problems]
    if judged:
        assert not frictionless_valid(package), f"frictionless accepted: {name}"


def test_report_shows_the_first_offending_rows(package: Path) -> None:
    rewrite(package, "paragraph", lambda t: set_cell(t, "kind", 3, "headline"))
    (problem,) = [p for p in validate_package(package).problems if p.type == "constraint-error"]
    assert problem.resource == "paragraph" and problem.field == "kind" and problem.count == 1
    assert problem.rows[0]["row_number"] == 4
    assert problem.rows[0]["kind"] == "headline"


def test_cli_exit_codes_and_json(package: Path) -> None:
    ok = run("validate", str(package))
    assert ok.returncode == 0 and "valid" in ok.stdout
    flip_byte(package)
    bad = run("validate", "--json", str(package))
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["valid"] is False
    assert "hash-count" in {e["type"] for e in report["errors"]}
    text = run("validate", str(package))
    assert text.returncode == 1 and "INVALID" in text.stdout and "paragraph" in text.stdout
